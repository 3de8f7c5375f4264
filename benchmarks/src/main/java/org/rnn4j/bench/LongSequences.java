package org.rnn4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.Callback;
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
 *
 * <p>With {@code --ratio-against S} the same JVM alternates epochs at {@code S} steps and at
 * {@code --steps}, {@code --rounds} times, and reports both medians per time step and their ratio:
 * a time ratio measured side by side, robust to other load on the machine (its memory is not that
 * of either length alone). It also reports the ratio of the mean times per step and the share of
 * each length's timed epochs the garbage collector took: a collector pause lands in few of the
 * short batches, which the median skips, but in every long one.
 */
public final class LongSequences {
    private LongSequences() {}

    public static void main(String[] args) throws Exception {
        String impl = "tf";
        String cell = "gru";
        int steps = 100;
        int epochs = -1;
        int units = 32;
        int against = 0;
        int rounds = 3;
        if (args.length == 2 && args[0].equals("--report")) {
            System.out.print(report(java.nio.file.Path.of(args[1])));
            return;
        }
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ratio-against" -> against = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--impl" -> impl = args[++i];
                case "--cell" -> cell = args[++i];
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--units" -> units = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("LongSequences: unknown option " + args[i]
                            + " (known: --impl tf|dl4j, --cell gru|lstm|simple_rnn, --steps N, --epochs E,"
                            + " --units U, --ratio-against S, --rounds R)");
                    System.exit(2);
                }
            }
        }
        if (against > 0) {
            System.out.println(ratio(impl, cell, units, against, steps, rounds));
            return;
        }
        if (epochs < 0) {
            // Enough timed batches at short lengths, one epoch (two batches) at 100,000 steps.
            epochs = steps <= 100 ? 10 : steps <= 1_000 ? 3 : steps <= 10_000 ? 2 : 1;
        }
        System.out.println(run(impl, cell, steps, units, epochs));
    }

    /** The markdown tables of a results file of {@code long-sequences.sh}, with the targets. */
    static String report(java.nio.file.Path jsonl) throws java.io.IOException {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> rows = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(jsonl)) {
            if (!line.isBlank()) {
                rows.add(mapper.readTree(line));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("| engine | cell | steps | form | peak RSS MB | s per step | first batch s | timed batches |\n");
        out.append("|---|---|---:|---|---:|---:|---:|---:|\n");
        for (com.fasterxml.jackson.databind.JsonNode r : rows) {
            if (r.has("error")) {
                out.append("| ")
                        .append(r.get("run").asText())
                        .append(" | | | | | **")
                        .append(r.get("error").asText())
                        .append("** | | |\n");
            } else if (r.has("steps")) {
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %,d | %s | %d | %.2e | %.2f | %d |%n",
                        r.get("impl").asText(),
                        r.get("cell").asText(),
                        r.get("steps").asInt(),
                        r.get("form").asText(),
                        r.get("peak_rss_mb").asInt(),
                        r.get("s_per_step").asDouble(),
                        r.get("first_batch_s").asDouble(),
                        r.get("timed_batches").asInt()));
            }
        }
        out.append("\n| engine | cell | s per step at 100 | s per step at 10,000 | ratio (same JVM) | ratio of means |"
                + " GC share 100 / 10,000 | RSS 10,000 - 100 MB | 100,000 steps |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (com.fasterxml.jackson.databind.JsonNode r : rows) {
            if (!r.has("ratio")) {
                continue;
            }
            String impl = r.get("impl").asText();
            String cell = r.get("cell").asText();
            Integer rss100 = null;
            Integer rss10k = null;
            String longest = "not run";
            for (com.fasterxml.jackson.databind.JsonNode x : rows) {
                if (x.has("steps")
                        && x.get("impl").asText().equals(impl)
                        && x.get("cell").asText().equals(cell)) {
                    int steps = x.get("steps").asInt();
                    rss100 = steps == 100 ? Integer.valueOf(x.get("peak_rss_mb").asInt()) : rss100;
                    rss10k = steps == 10_000
                            ? Integer.valueOf(x.get("peak_rss_mb").asInt())
                            : rss10k;
                    if (steps == 100_000) {
                        longest = String.format(
                                Locale.ROOT,
                                "trained, %d MB, %.1f s a batch",
                                x.get("peak_rss_mb").asInt(),
                                x.get("batch_s").asDouble());
                    }
                } else if (x.has("error") && x.get("run").asText().equals(impl + "-" + cell + "-100000")) {
                    longest = "**failed: " + x.get("error").asText() + "**";
                }
            }
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.2e | %.2e | %.2f | %s | %s | %s | %s |%n",
                    impl,
                    cell,
                    r.get("short_s_per_step").asDouble(),
                    r.get("long_s_per_step").asDouble(),
                    r.get("ratio").asDouble(),
                    r.has("mean_ratio")
                            ? String.format(
                                    Locale.ROOT, "%.2f", r.get("mean_ratio").asDouble())
                            : "",
                    r.has("long_gc_share")
                            ? String.format(
                                    Locale.ROOT,
                                    "%.0f%% / %.0f%%",
                                    100 * r.get("short_gc_share").asDouble(),
                                    100 * r.get("long_gc_share").asDouble())
                            : "",
                    rss100 == null || rss10k == null ? "" : String.format(Locale.ROOT, "%+d", rss10k - rss100),
                    longest));
        }
        return out.toString();
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
    static TensorDataset data(int steps) {
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
        return TensorDataset.of(Tensor.wrap(x, n, steps, 1), Tensor.wrap(y, n, 1));
    }

    /** Seconds of each training batch of one epoch (two batches) after the first epoch's warm-up. */
    private static List<Double> timedEpoch(Model model, TensorDataset data, int epoch) {
        List<Double> seconds = new ArrayList<>();
        long[] last = {System.nanoTime()};
        Callback timer = new Callback() {
            @Override
            public void onBatchEnd(TrainingContext ctx, int e, int batch, int count, double l) {
                long now = System.nanoTime();
                seconds.add((now - last[0]) / 1e9);
                last[0] = now;
            }

            @Override
            public void onEpochBegin(TrainingContext ctx, int e) {
                last[0] = System.nanoTime();
            }
        };
        FitOptions options = FitOptions.defaults().withEpochs(epoch + 1).withSeed(SyntheticData.SEED);
        model.fitFrom(data, null, options, List.of(timer), epoch);
        return seconds;
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    /** Alternates epochs at {@code shortSteps} and {@code longSteps} in this JVM; one JSON line with the ratio. */
    static String ratio(String impl, String cell, int units, int shortSteps, int longSteps, int rounds) {
        TensorDataset shortData = data(shortSteps);
        TensorDataset longData = data(longSteps);
        List<Double> shortPerStep = new ArrayList<>();
        List<Double> longPerStep = new ArrayList<>();
        // Collector pause time during the timed epochs of each length: the median of the short
        // batches skips the few a pause lands in, while every long batch takes its share.
        long shortGc = 0;
        long longGc = 0;
        int chunk;
        try (Backend backend = Rnn4j.backend(impl.replace("rnn4j-", ""));
                Model a = Model.create(spec(cell, units), backend, SyntheticData.SEED);
                Model b = Model.create(spec(cell, units), backend, SyntheticData.SEED)) {
            chunk = backend.recurrencePolicy().chunkSteps(b.spec(), org.rnn4j.api.graph.ModelGraph.Mode.TRAINING);
            // Warm-up: an epoch of each builds their graphs.
            timedEpoch(a, shortData, 0);
            timedEpoch(b, longData, 0);
            int shortEpochs = Math.max(1, longSteps / shortSteps / 8);
            for (int r = 1; r <= rounds; r++) {
                for (int e = 0; e < shortEpochs; e++) {
                    long gc = gcMillis();
                    timedEpoch(a, shortData, r * shortEpochs + e).forEach(s -> shortPerStep.add(s / shortSteps));
                    shortGc += gcMillis() - gc;
                }
                long gc = gcMillis();
                timedEpoch(b, longData, r).forEach(s -> longPerStep.add(s / longSteps));
                longGc += gcMillis() - gc;
            }
        }
        double s = median(shortPerStep);
        double l = median(longPerStep);
        return String.format(
                Locale.ROOT,
                "{\"impl\":\"%s\",\"cell\":\"%s\",\"units\":%d,\"short_steps\":%d,\"long_steps\":%d,"
                        + "\"rounds\":%d,\"chunk\":%d,\"short_s_per_step\":%.3e,\"long_s_per_step\":%.3e,"
                        + "\"ratio\":%.3f,\"short_batches\":%d,\"long_batches\":%d,"
                        + "\"short_mean_s_per_step\":%.3e,\"long_mean_s_per_step\":%.3e,\"mean_ratio\":%.3f,"
                        + "\"short_gc_share\":%.3f,\"long_gc_share\":%.3f}",
                impl,
                cell,
                units,
                shortSteps,
                longSteps,
                rounds,
                chunk,
                s,
                l,
                l / s,
                shortPerStep.size(),
                longPerStep.size(),
                mean(shortPerStep),
                mean(longPerStep),
                mean(longPerStep) / mean(shortPerStep),
                shortGc / 1e3 / (mean(shortPerStep) * shortPerStep.size() * shortSteps),
                longGc / 1e3 / (mean(longPerStep) * longPerStep.size() * longSteps));
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Milliseconds the JVM's collectors have spent so far. */
    private static long gcMillis() {
        long sum = 0;
        for (java.lang.management.GarbageCollectorMXBean b :
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, b.getCollectionTime());
        }
        return sum;
    }

    static String run(String impl, String cell, int steps, int units, int epochs) {
        TensorDataset data = data(steps);
        List<Double> batchSeconds = new ArrayList<>();
        long[] last = {System.nanoTime()};
        long start = System.nanoTime();
        double loss;
        String form;
        int chunk;
        try (Backend backend = Rnn4j.backend(impl.replace("rnn4j-", ""));
                Model model = Model.create(spec(cell, units), backend, SyntheticData.SEED)) {
            RecurrencePolicy policy = backend.recurrencePolicy();
            form = policy.form(model.spec(), org.rnn4j.api.graph.ModelGraph.Mode.TRAINING, steps)
                    .toString();
            chunk = policy.chunkSteps(model.spec(), org.rnn4j.api.graph.ModelGraph.Mode.TRAINING);
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
        return String.format(
                Locale.ROOT,
                "{\"impl\":\"%s\",\"cell\":\"%s\",\"units\":%d,\"steps\":%d,\"batch\":32,\"epochs\":%d,"
                        + "\"form\":\"%s\",\"chunk\":%d,\"peak_rss_mb\":%d,\"first_batch_s\":%.3f,"
                        + "\"batch_s\":%.4f,\"s_per_step\":%.3e,\"timed_batches\":%d,\"total_s\":%.1f,\"loss\":%.5f}",
                impl,
                cell,
                units,
                steps,
                epochs,
                form,
                chunk,
                ProcessStats.peakRssKb() / 1024,
                batchSeconds.get(0),
                median,
                median / steps,
                timed.size(),
                total,
                loss);
    }
}
