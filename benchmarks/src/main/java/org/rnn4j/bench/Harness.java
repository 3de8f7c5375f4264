package org.rnn4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import org.rnn4j.backend.tf.TfSessionOptions;
import org.rnn4j.bench.dl4j.Nd4jMatmul;
import org.rnn4j.bench.tf.TfMatmul;

/**
 * Runs one workload on one implementation in this JVM and prints one JSON line of results.
 * {@code benchmarks/run.sh} starts a fresh JVM per (workload, implementation), so memory and
 * start-up are measured clean and the two engines never share a process.
 *
 * <pre>
 * java -cp ... org.rnn4j.bench.Harness --workload W2 --impl rnn4j-tf --epochs 3 --warmup 1
 * </pre>
 *
 * Training: epoch times (all), samples/s of the timed epochs and their median, resident memory
 * after every epoch (after epochs 5 and 20 by name), the peak, and the seconds from process start
 * to the first finished batch. P: median and p90 latency of each inference case. matmul: the
 * best and median GFLOP/s of a 2048^3 float matmul on the implementation's engine.
 */
public final class Harness {
    static final int MATMUL_N = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Harness() {}

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("harness: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            System.out.println(run(options).toString());
        } catch (RuntimeException | OutOfMemoryError e) {
            // One failed (workload, impl) must still leave a line, so the report shows the failure beside the other
            // results.
            ObjectNode r = JSON.createObjectNode();
            r.put("workload", options.workload().id());
            r.put("impl", options.impl().id());
            r.put("cores", Runtime.getRuntime().availableProcessors());
            if (options.variant() != null) {
                r.put("variant", options.variant());
            }
            if (options.interleaved()) {
                r.put("interleaved", true);
            }
            r.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            r.put("peak_rss_mb", mb(ProcessStats.peakRssKb()));
            System.out.println(r);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs and returns the result object (what {@link #main} prints on one line). */
    public static ObjectNode run(Options o) {
        ObjectNode r = JSON.createObjectNode();
        r.put("workload", o.workload().id());
        r.put("impl", o.impl().id());
        r.put("small", o.small());
        r.put("date", Instant.now().toString());
        r.put("java", System.getProperty("java.version"));
        // The JVM counts the cores this process may run on (taskset narrows it).
        r.put("cores", Runtime.getRuntime().availableProcessors());
        if (o.variant() != null) {
            r.put("variant", o.variant());
        }
        if (!o.impl().engine().equals("tf")) {
            // Which nd4j-native build JavaCPP loads: the plain one, or a classifier chosen with
            // -Dorg.bytedeco.javacpp.platform.extension (benchmarks/nd4j-builds.sh).
            r.put("native_build", "linux-x86_64" + System.getProperty("org.bytedeco.javacpp.platform.extension", ""));
        }
        if (o.impl() == Impl.DL4J_BASELINE_1T) {
            Nd4jMatmul.pinThreads(1);
        }
        switch (o.workload()) {
            case W1, W1B, W2 -> {
                if (o.interleaved()) {
                    trainInterleaved(o, r);
                } else {
                    train(o, r);
                }
            }
            case P -> infer(o, r);
            case GEN -> interleaved(o, r);
            case MATMUL -> matmul(o, r);
        }
        // After the run: the DL4J backend sets ND4J's threads when it builds its first graph.
        r.put("threads", threads(o.impl()));
        if (o.impl().engine().equals("dl4j")) {
            r.put("blas_threads", Nd4jMatmul.blasThreads());
        }
        r.put("peak_rss_mb", mb(ProcessStats.peakRssKb()));
        return r;
    }

    private static void train(Options o, ObjectNode r) {
        SyntheticData data = SyntheticData.of(o.workload(), o.small());
        Workload.Sizes s = data.sizes();
        r.put("batch", s.batch());
        r.put("steps", s.steps());
        r.put("batches_per_epoch", s.batchesPerEpoch());
        long flops = o.workload().trainingFlopsPerSample(o.small());
        r.put("train_flops_per_sample", flops);
        r.put("epochs", o.epochs());
        r.put("warmup", o.warmup());
        r.put("timed", o.timed());
        r.put("warmup_seconds_asked", o.warmupSeconds());
        int full = o.batches() == 0 ? s.batchesPerEpoch() : Math.min(o.batches(), s.batchesPerEpoch());
        int tail = o.tailBatches() == 0 ? s.batchesPerEpoch() : Math.min(o.tailBatches(), s.batchesPerEpoch());
        r.put("timed_batches", full);
        r.put("tail_batches", tail);
        double[] firstBatch = {-1};
        long[] firstBatchDone = {-1};
        double setupStart = ProcessStats.secondsSinceProcessStart();
        ArrayNode seconds = r.putArray("epoch_seconds");
        ArrayNode batchesPerEpoch = r.putArray("epoch_batches");
        ArrayNode rss = r.putArray("rss_mb_after_epoch");
        // The peak within each epoch (VmHWM, reset before it): the reading after an epoch catches the native heap
        // between a trim and the next step's scratch memory (W2 on TensorFlow read 774-818 MB against 828-842 at
        // random epochs, 2026-12-07T0758Z-0823Z); the peak holds the step's whole working set, and a leak raises it.
        ArrayNode rssPeak = r.putArray("rss_peak_mb_in_epoch");
        ArrayNode heap = r.putArray("heap_committed_mb_after_epoch");
        ArrayNode losses = r.putArray("epoch_loss");
        List<Double> rates = new ArrayList<>();
        int warmup = o.warmup();
        int epochs = o.epochs();
        double warmedFor = 0;
        try (TrainingRun run = o.impl().training(o.workload(), data)) {
            r.put("setup_s", round(ProcessStats.secondsSinceProcessStart() - setupStart, 3));
            double trained = 0;
            for (int e = 0; e < epochs; e++) {
                int batches = e < warmup + o.timed() ? full : tail;
                boolean timed = e >= warmup && e < warmup + o.timed();
                boolean peakReset = ProcessStats.resetPeakRss();
                long start = System.nanoTime();
                double loss = run.epoch(e, batches, b -> {
                    if (firstBatch[0] < 0) {
                        firstBatch[0] = ProcessStats.secondsSinceProcessStart();
                        firstBatchDone[0] = System.nanoTime();
                        r.put("first_batch_in_epoch_s", round((firstBatchDone[0] - start) / 1e9, 4));
                    }
                });
                long end = System.nanoTime();
                double sec = (end - start) / 1e9;
                seconds.add(round(sec, 6));
                batchesPerEpoch.add(batches);
                losses.add(round(loss, 6));
                rss.add(mb(ProcessStats.rssKb()));
                rssPeak.add(peakReset ? mb(ProcessStats.windowPeakRssKb()) : -1);
                // Resident memory counts the Java heap the JVM has committed; this tells heap growth from native
                // growth.
                heap.add(mb(
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024));
                if (timed) {
                    rates.add(batches * (double) s.batch() / sec);
                }
                // Warm-up time counts from the end of the first batch: building the graphs (and rnn4j-tf's
                // autotuning: W2's first batch took 5-6 s of its first epoch, the hand-written graphs' 0.3-0.5 s)
                // compiles no Java and warms no kernel the timed epochs run.
                trained += (end - (e == 0 ? firstBatchDone[0] : start)) / 1e9;
                if (e == warmup - 1) {
                    if (trained < o.warmupSeconds()) {
                        // The JIT is still compiling (seconds, not epochs): one more warm-up epoch in front of the
                        // protocol, whose timed, tail and memory epochs all move one later.
                        warmup++;
                        epochs++;
                    } else {
                        warmedFor = trained;
                    }
                }
            }
        }
        r.put("warmup", warmup);
        r.put("epochs", epochs);
        r.put("warmup_s", round(warmedFor, 6));
        int added = warmup - o.warmup();
        ArrayNode read = r.putArray("memory_after_epochs");
        if (o.epochs() >= 5) {
            read.add(5 + added);
        }
        if (o.epochs() >= 20) {
            read.add(20 + added);
        }
        ArrayNode rateArray = r.putArray("samples_per_s");
        rates.forEach(x -> rateArray.add(round(x, 2)));
        double median = median(rates.stream().mapToDouble(Double::doubleValue).toArray());
        r.put("samples_per_s_median", round(median, 2));
        // With --batches below a full epoch this is the full epoch's time at the measured rate.
        r.put("s_per_epoch_median", round(s.samplesPerEpoch() / median, 3));
        r.put("epoch_extrapolated", full < s.batchesPerEpoch());
        r.put("train_gflops_per_s", round(median * flops / 1e9, 3));
        r.put("first_batch_s", round(firstBatch[0], 3));
        // The protocol's epochs 5 and 20, after the warm-up epochs --warmup-seconds added in front.
        r.put("rss_mb_epoch5", o.epochs() >= 5 ? rss.get(4 + added).asDouble() : -1);
        r.put("rss_mb_epoch20", o.epochs() >= 20 ? rss.get(19 + added).asDouble() : -1);
        r.put("rss_peak_mb_epoch5", o.epochs() >= 5 ? rssPeak.get(4 + added).asDouble() : -1);
        r.put("rss_peak_mb_epoch20", o.epochs() >= 20 ? rssPeak.get(19 + added).asDouble() : -1);
        r.put("heap_committed_mb_epoch5", o.epochs() >= 5 ? heap.get(4 + added).asDouble() : -1);
        r.put(
                "heap_committed_mb_epoch20",
                o.epochs() >= 20 ? heap.get(19 + added).asDouble() : -1);
    }

    private static void infer(Options o, ObjectNode r) {
        try (InferenceRun run = o.impl().inference(o.small())) {
            double[] sink = {run.forecastOne()};
            r.put("first_result_s", round(ProcessStats.secondsSinceProcessStart(), 3));
            r.set("forecast_one", latency(() -> run.forecastOne(), o, sink, 1));
            int batch = o.small() ? 8 : SyntheticData.PREDICT_BATCH;
            r.set("forecast_batch", latency(() -> run.forecastBatch(), o, sink, batch));
            r.set("next_char", latency(() -> run.nextCharacter(), o, sink, 1));
            if (run.hasGenerationStep()) {
                r.set("generation_step", latency(() -> run.generationStep(), o, sink, 1));
            }
            r.put("checksum", sink[0]);
        }
    }

    /**
     * The shortest warm-up of a latency case. A generation step goes through more Java code on
     * rnn4j's side than on a hand-written graph's, and the JIT is not done with it for 10,000 to
     * 15,000 calls: rnn4j-tf's W2 step measured 0.068-0.077 ms after 0.3 s of warm-up and
     * 0.059-0.061 after 1 s, the hand-written one 0.046-0.047 and 0.046-0.049 (2026-12-06,
     * {@code Harness --workload P}). With native piece runs, after 1 s: rnn4j-tf 0.048 and 0.047,
     * hand-written (plain) 0.050 and 0.047; after 3 s: 0.042 and 0.042 against 0.045 and 0.046
     * ({@code --seconds 3} and {@code --seconds 30}, two JVMs each). Both sides get the same warm-up;
     * a latency is reported as it holds for a long generation, not for its first few thousand
     * calls (JMH's defaults warm up for 50 s).
     */
    static final double MIN_WARMUP_SECONDS = 3.0;

    /**
     * Latency of one call: untimed warm-up calls for a tenth of the time budget but at least
     * {@value #MIN_WARMUP_SECONDS} s (not with {@code --small}) and at least 3 calls, then timed calls until {@code repeats}
     * or {@code seconds}, whichever comes first (at least 5).
     */
    private static ObjectNode latency(DoubleSupplier call, Options o, double[] sink, int itemsPerCall) {
        // --small runs (the smoke tests) check that a case runs, not its speed: no minimum.
        warmUp(call, o.small() ? o.seconds() * 0.1 : Math.max(MIN_WARMUP_SECONDS, o.seconds() * 0.1), sink);
        List<Double> ms = new ArrayList<>();
        long end = System.nanoTime() + (long) (o.seconds() * 1e9);
        while (ms.size() < 5 || (ms.size() < o.repeats() && System.nanoTime() < end)) {
            long start = System.nanoTime();
            sink[0] += call.getAsDouble();
            ms.add((System.nanoTime() - start) / 1e6);
        }
        double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        ObjectNode n = JSON.createObjectNode();
        n.put("calls", v.length);
        n.put("median_ms", round(median(v), 3));
        n.put("p90_ms", round(v[(int) Math.ceil(0.9 * v.length) - 1], 3));
        n.put("min_ms", round(v[0], 3));
        n.put("items_per_s", round(itemsPerCall * 1000.0 / median(v), 1));
        return n;
    }

    /** The implementations {@code gen} interleaves: rnn4j-tf first, then the hand-written forms. */
    static final List<Impl> GENERATION_STEP_IMPLS =
            List.of(Impl.RNN4J_TF, Impl.TF_BASELINE, Impl.TF_BASELINE_PLAIN, Impl.TF_BASELINE_BLOCK);

    /**
     * gen: W2's generation step of each of {@link #GENERATION_STEP_IMPLS} in this JVM (see {@link #interleave}).
     * The machine's speed drifts by a quarter within the hour here, and separate JVMs minutes apart (the P rows)
     * read the same step 10% apart; rounds a fraction of a second long put that drift on every side alike.
     */
    private static void interleaved(Options o, ObjectNode r) {
        List<InferenceRun> runs = new ArrayList<>();
        closingAll(runs, () -> {
            List<IntSupplier> steps = new ArrayList<>();
            for (Impl impl : GENERATION_STEP_IMPLS) {
                InferenceRun run = impl.inference(o.small());
                runs.add(run);
                steps.add(run::generationStep);
            }
            r.setAll(interleave(
                    GENERATION_STEP_IMPLS.stream().map(Impl::id).toList(),
                    steps,
                    o.small() ? 0 : MIN_WARMUP_SECONDS,
                    o.seconds(),
                    o.repeats()));
        });
    }

    /**
     * The hand-written TensorFlow forms of a training workload: all four on the LSTM workloads, the hoisted and
     * plain ones on W1 (TensorFlow has no fused SimpleRNN, and the gate-major form is an LSTM's).
     */
    static List<Impl> handWrittenTf(Workload w) {
        return w == Workload.W1
                ? List.of(Impl.TF_BASELINE, Impl.TF_BASELINE_PLAIN)
                : List.of(
                        Impl.TF_BASELINE, Impl.TF_BASELINE_PLAIN, Impl.TF_BASELINE_BLOCK, Impl.TF_BASELINE_GATE_MAJOR);
    }

    /**
     * {@code --interleaved}: rnn4j-tf (its defaults: autotuning and the tuning cache) and every hand-written
     * TensorFlow form of the workload ({@link #handWrittenTf}) trained in this JVM, in interleaved rounds of
     * {@code --batches} batches each ({@link #interleave}). Separate JVMs minutes apart read one W1b graph up to
     * 1.8x apart here (round fifteen); rounds a second or less long, in an order that puts every form after every
     * other alike, give each ratio the same machine. Each form's rate is its samples over its median round.
     */
    private static void trainInterleaved(Options o, ObjectNode r) {
        SyntheticData data = SyntheticData.of(o.workload(), o.small());
        Workload.Sizes s = data.sizes();
        int batches = o.batches() == 0 ? s.batchesPerEpoch() : Math.min(o.batches(), s.batchesPerEpoch());
        r.put("batch", s.batch());
        r.put("steps", s.steps());
        r.put("interleaved", true);
        r.put("batches_per_round", batches);
        List<Impl> impls = new ArrayList<>();
        impls.add(Impl.RNN4J_TF);
        impls.addAll(handWrittenTf(o.workload()));
        List<TrainingRun> runs = new ArrayList<>();
        closingAll(runs, () -> {
            List<IntSupplier> rounds = new ArrayList<>();
            for (Impl impl : impls) {
                TrainingRun run = impl.training(o.workload(), data);
                runs.add(run);
                int[] epoch = {0};
                rounds.add(() -> {
                    double loss = run.epoch(epoch[0]++, batches, b -> {});
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException(impl.id() + " trained to a loss of " + loss);
                    }
                    return 1;
                });
            }
            ObjectNode t = interleave(
                    impls.stream().map(Impl::id).toList(), rounds, o.small() ? 0 : o.warmupSeconds(), o.seconds(), 1);
            r.setAll(t);
            ObjectNode rates = r.putObject("samples_per_s_median");
            String fastest = null;
            for (Impl impl : impls) {
                double rate = batches
                        * (double) s.batch()
                        * 1000
                        / t.path("median_ms").path(impl.id()).asDouble();
                rates.put(impl.id(), round(rate, 2));
                if (impl != Impl.RNN4J_TF
                        && (fastest == null || rate > rates.path(fastest).asDouble())) {
                    fastest = impl.id();
                }
            }
            r.put("fastest_hand_written", fastest);
            r.put(
                    "ratio_vs_fastest_hand_written",
                    round(
                            rates.path(Impl.RNN4J_TF.id()).asDouble()
                                    / rates.path(fastest).asDouble(),
                            4));
        });
    }

    /**
     * Times calls of several implementations against each other: each warms up {@code warmupSeconds} (and 3
     * calls), then rounds, each timing {@code calls} calls of every implementation, until {@code seconds} have
     * passed and the rounds make whole cycles of {@link #roundOrder} (at least one), so every implementation
     * runs right after every other equally often. Returns each one's median per round
     * ({@code round_median_ms}), the median of those ({@code median_ms}), and the rounds.
     */
    static ObjectNode interleave(
            List<String> ids, List<IntSupplier> steps, double warmupSeconds, double seconds, int calls) {
        int n = steps.size();
        double[] sink = {0};
        for (IntSupplier step : steps) {
            warmUp(step::getAsInt, warmupSeconds, sink);
        }
        int cycle = n % 2 == 0 ? n : 2 * n;
        List<List<Double>> medians = new ArrayList<>();
        steps.forEach(x -> medians.add(new ArrayList<>()));
        double[] ms = new double[calls];
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int rounds = 0;
        while (rounds % cycle != 0 || rounds == 0 || System.nanoTime() < end) {
            for (int j : roundOrder(n, rounds)) {
                IntSupplier step = steps.get(j);
                for (int c = 0; c < calls; c++) {
                    long start = System.nanoTime();
                    sink[0] += step.getAsInt();
                    ms[c] = (System.nanoTime() - start) / 1e6;
                }
                medians.get(j).add(median(ms));
            }
            rounds++;
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("rounds", rounds);
        r.put("calls_per_round", calls);
        ObjectNode perRound = r.putObject("round_median_ms");
        ObjectNode overall = r.putObject("median_ms");
        for (int j = 0; j < n; j++) {
            ArrayNode a = perRound.putArray(ids.get(j));
            medians.get(j).forEach(x -> a.add(round(x, 4)));
            overall.put(
                    ids.get(j),
                    round(
                            median(medians.get(j).stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray()),
                            4));
        }
        r.put("checksum", sink[0]);
        return r;
    }

    /**
     * The order of round {@code round} over {@code n} implementations: a Williams design (rows of a Latin square
     * in which each implementation follows each other once per cycle of n rounds, 2n when n is odd, the second n
     * reversed), so whatever one leaves behind (garbage, a warm cache, a pool spinning down) falls on every other
     * alike.
     */
    static int[] roundOrder(int n, int round) {
        int[] first = new int[n];
        for (int k = 0, lo = 0, hi = n - 1; k < n; k++) {
            // 0, 1, n-1, 2, n-2, ...
            first[k] = k == 0 ? 0 : k % 2 == 1 ? ++lo : hi--;
        }
        int[] order = new int[n];
        int shift = round % n;
        boolean reverse = n % 2 == 1 && (round / n) % 2 == 1;
        for (int k = 0; k < n; k++) {
            order[reverse ? n - 1 - k : k] = (first[k] + shift) % n;
        }
        return order;
    }

    /**
     * Runs {@code body}, which opens {@code runs}, then closes them all; when the body fails they are closed too,
     * and a failure to close is added to the body's as suppressed.
     */
    private static void closingAll(List<? extends AutoCloseable> runs, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            try {
                closeAll(runs);
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
        closeAll(runs);
    }

    /** Closes every run, the last opened first; the first failure is thrown with the others suppressed. */
    private static void closeAll(List<? extends AutoCloseable> runs) {
        RuntimeException failure = null;
        for (int j = runs.size() - 1; j >= 0; j--) {
            try {
                runs.get(j).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Untimed calls: the first, then for {@code seconds} more and at least 3 in all (the first call builds graphs and
     * tunes, which warms up no code the timed calls run).
     */
    private static void warmUp(DoubleSupplier call, double seconds, double[] sink) {
        sink[0] += call.getAsDouble();
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        for (int k = 1; k < 3 || System.nanoTime() < warmEnd; k++) {
            sink[0] += call.getAsDouble();
        }
    }

    private static void matmul(Options o, ObjectNode r) {
        int n = o.small() ? 256 : MATMUL_N;
        int repeats = Math.min(o.repeats(), 10);
        double[] sec;
        if (o.impl().engine().equals("tf")) {
            sec = TfMatmul.seconds(n, repeats);
        } else {
            sec = Nd4jMatmul.seconds(n, repeats);
            r.put("nd4j_max_threads", Nd4jMatmul.maxThreads());
        }
        double flop = 2.0 * n * n * n;
        r.put("engine", o.impl().engine());
        r.put("n", n);
        ArrayNode a = r.putArray("seconds");
        Arrays.stream(sec).forEach(x -> a.add(round(x, 4)));
        double[] sorted = sec.clone();
        Arrays.sort(sorted);
        r.put("best_gflops", round(flop / sorted[0] / 1e9, 2));
        r.put("median_gflops", round(flop / median(sorted) / 1e9, 2));
    }

    /** The thread settings both sides of a ratio share, as the matmul rows name them too. */
    static String threads(Impl impl) {
        if (impl.engine().equals("tf")) {
            TfSessionOptions t = TfSessionOptions.fromSystemProperties();
            return "tf " + t.intraOpThreads() + " intra-op / " + t.interOpThreads() + " inter-op";
        }
        return "dl4j " + Nd4jMatmul.maxThreads() + " op / " + Nd4jMatmul.blasThreads() + " BLAS thread(s)";
    }

    /** The median of {@code values} (NaN for none); the manual programs use it too. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    private static double mb(long kb) {
        return kb < 0 ? -1 : round(kb / 1024.0, 1);
    }

    private static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
