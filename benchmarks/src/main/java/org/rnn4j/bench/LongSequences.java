package org.rnn4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.sequence.RecurrencePolicy;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.Trainer;
import org.rnn4j.api.train.TrainingContext;
import org.rnn4j.bootstrap.Rnn4j;

/**
 * Training cost over sequence length (issue 14): {@code [64, steps, 1]} windows of a random walk ->
 * GRU(32), LSTM(32) or SimpleRNN(32) -> Dense(1), MSE, Adam, batch 32 (two batches an epoch), as a
 * user runs it ({@code Model.fit} with the default {@link RecurrencePolicy}). Run in a fresh JVM
 * per row (with the {@code ./rnn4j} launcher's {@code -Xmx3g}); prints one JSON line:
 * the peak resident memory of the process (VmHWM), the median wall time of a training batch after
 * the first epoch (the first batch when there is one epoch), and that time per time step.
 *
 * <pre>
 * java -Xmx3g -cp ... org.rnn4j.bench.LongSequences --impl tf --cell gru --steps 10000 [--epochs 2]
 * </pre>
 */
public final class LongSequences {
    private LongSequences() {}

    public static void main(String[] args) throws Exception {
        String impl = "tf";
        String cell = "gru";
        int steps = 100;
        int epochs = -1;
        int units = 32;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--impl" -> impl = args[++i];
                case "--cell" -> cell = args[++i];
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--units" -> units = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("LongSequences: unknown option " + args[i]
                            + " (known: --impl tf|dl4j, --cell gru|lstm|simple_rnn, --steps N, --epochs E, --units U)");
                    System.exit(2);
                }
            }
        }
        if (epochs < 0) {
            // Enough timed batches at short lengths, one epoch (two batches) at 100,000 steps.
            epochs = steps <= 100 ? 10 : steps <= 1_000 ? 3 : steps <= 10_000 ? 2 : 1;
        }
        System.out.println(run(impl, cell, steps, units, epochs));
    }

    static RecurrentSpec cell(String name, int units) {
        return switch (name) {
            case "gru" -> Layers.gru(units);
            case "lstm" -> Layers.lstm(units);
            case "simple_rnn" -> Layers.simpleRnn(units);
            default -> throw new IllegalArgumentException("--cell must be gru, lstm or simple_rnn, got " + name);
        };
    }

    static ModelSpec spec(String cell, int units) {
        return Sequential.name("long_" + cell)
                .input(-1, 1)
                .add(cell(cell, units))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                .build();
    }

    /** 64 windows of a seeded AR(1) walk and the point after each. */
    static Trainer.Dataset data(int steps) {
        int n = 64;
        float[] x = new float[Math.multiplyExact(n, steps)];
        float[] y = new float[n];
        SplittableRandom rng = new SplittableRandom(SyntheticData.SEED);
        for (int i = 0; i < n; i++) {
            double level = rng.nextGaussian();
            for (int k = 0; k < steps; k++) {
                level = 0.9 * level + 0.3 * rng.nextGaussian();
                x[i * steps + k] = (float) level;
            }
            y[i] = (float) (0.9 * level + 0.3 * rng.nextGaussian());
        }
        return new Trainer.Dataset(Tensor.wrap(x, n, steps, 1), Tensor.wrap(y, n, 1));
    }

    static String run(String impl, String cell, int steps, int units, int epochs) {
        Trainer.Dataset data = data(steps);
        List<Double> batchSeconds = new ArrayList<>();
        long[] last = {System.nanoTime()};
        long start = System.nanoTime();
        double loss;
        try (Backend backend = Rnn4j.backend(impl.replace("rnn4j-", ""));
                Model model = Model.create(spec(cell, units), backend, SyntheticData.SEED)) {
            Callback timer = new Callback() {
                @Override
                public void onBatchEnd(TrainingContext ctx, int epoch, int batch, int count, double l) {
                    long now = System.nanoTime();
                    batchSeconds.add((now - last[0]) / 1e9);
                    last[0] = now;
                }

                @Override
                public void onEpochBegin(TrainingContext ctx, int epoch) {
                    last[0] = System.nanoTime();
                }
            };
            FitOptions options = FitOptions.defaults().withEpochs(epochs).withSeed(SyntheticData.SEED);
            loss = model.fit(data, null, options, List.of(timer)).last("loss");
        }
        double total = (System.nanoTime() - start) / 1e9;
        List<Double> timed = batchSeconds.size() > 2 ? batchSeconds.subList(2, batchSeconds.size()) : batchSeconds;
        List<Double> sorted = new ArrayList<>(timed);
        sorted.sort(Double::compare);
        double median = sorted.get(sorted.size() / 2);
        RecurrencePolicy policy = RecurrencePolicy.defaults();
        return String.format(
                Locale.ROOT,
                "{\"impl\":\"%s\",\"cell\":\"%s\",\"units\":%d,\"steps\":%d,\"batch\":32,\"epochs\":%d,"
                        + "\"form\":\"%s\",\"policy\":\"%s\",\"peak_rss_mb\":%d,\"first_batch_s\":%.3f,"
                        + "\"batch_s\":%.4f,\"s_per_step\":%.3e,\"timed_batches\":%d,\"total_s\":%.1f,\"loss\":%.5f}",
                impl,
                cell,
                units,
                steps,
                epochs,
                policy.form(null, null, steps),
                policy,
                ProcessStats.peakRssKb() / 1024,
                batchSeconds.get(0),
                median,
                median / steps,
                timed.size(),
                total,
                loss);
    }
}
