package org.rnn4j.bench.manual;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.rnn4j.backend.tf.FormChoice;
import org.rnn4j.backend.tf.TfForms;
import org.rnn4j.bench.SyntheticData;
import org.rnn4j.bench.TrainingRun;
import org.rnn4j.bench.Workload;
import org.rnn4j.bench.rnn4j.Rnn4jTraining;
import org.rnn4j.bench.tf.TfBaselineTraining;
import org.rnn4j.bench.tf.TfForm;

/**
 * rnn4j-tf's recurrence forms side by side in one JVM (not a test, not part of {@code run.sh}):
 * one workload trained in each form named on the command line, pinned with
 * {@value TfForms#FORM_PROPERTY} as a user pins a tuned choice, and optionally the hand-written
 * TensorFlow graphs ({@code base:plain}, {@code base:hoisted}, {@code base:block}, {@code
 * base:gate_major}), all timed in
 * interleaved rounds so the machine's drift hits every entry alike:
 *
 * <pre>
 * benchmarks/manual.sh forms W1b 25 9 fused fused-5 plain plain-t base:block base:plain
 * </pre>
 *
 * <p>Arguments: workload, batches per round, rounds, then the entries. Prints one line per entry:
 * median and minimum milliseconds per training step (batch) over the rounds, and samples per second
 * at the median.
 */
public final class FormComparison {
    private FormComparison() {}

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: FormComparison <W1|W1b|W2> <batches per round> <rounds> <form|base:form>...");
            System.exit(2);
        }
        Workload workload = Workload.parse(args[0]);
        int batches = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        SyntheticData data = SyntheticData.of(workload, false);
        if (batches < 1 || batches > data.sizes().batchesPerEpoch() || rounds < 1) {
            System.err.println("FormComparison: batches must be 1.."
                    + data.sizes().batchesPerEpoch() + " and rounds at least 1, got " + batches + " and " + rounds);
            System.exit(2);
        }
        List<String> names = Arrays.asList(args).subList(3, args.length);
        for (String name : names) {
            if (!name.startsWith("base:") && FormChoice.parse(name).isEmpty()) {
                System.err.println("FormComparison: unknown form '" + name + "': plain, plain-t, hoisted, hoisted-t,"
                        + " gate_major, fused, fused-N or base:plain|hoisted|block|gate_major");
                System.exit(2);
            }
        }
        List<TrainingRun> runs = new ArrayList<>();
        try {
            for (String name : names) {
                runs.add(open(name, workload, data));
                // untimed: builds (the first batch) and warms each entry up
                runs.get(runs.size() - 1).epoch(0, batches, b -> {});
            }
            double[][] ms = new double[runs.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < runs.size(); i++) {
                    long t0 = System.nanoTime();
                    runs.get(i).epoch(1 + r, batches, b -> {});
                    ms[i][r] = (System.nanoTime() - t0) / 1e6 / batches;
                }
            }
            for (int i = 0; i < runs.size(); i++) {
                double[] sorted = ms[i].clone();
                Arrays.sort(sorted);
                double median = sorted[rounds / 2];
                System.out.printf(
                        Locale.ROOT,
                        "%s %-12s median %8.3f ms a step, min %8.3f, %8.1f samples/s%n",
                        workload.id(),
                        names.get(i),
                        median,
                        sorted[0],
                        data.sizes().batch() * 1000 / median);
            }
        } finally {
            runs.forEach(TrainingRun::close);
        }
    }

    private static TrainingRun open(String name, Workload workload, SyntheticData data) {
        if (name.startsWith("base:")) {
            return new TfBaselineTraining(
                    workload, data, TfForm.valueOf(name.substring(5).toUpperCase(Locale.ROOT)));
        }
        // The backend reads the property when it is made; each entry has its own backend.
        System.setProperty(TfForms.FORM_PROPERTY, name);
        try {
            return new Rnn4jTraining("tf", workload, data);
        } finally {
            System.clearProperty(TfForms.FORM_PROPERTY);
        }
    }
}
