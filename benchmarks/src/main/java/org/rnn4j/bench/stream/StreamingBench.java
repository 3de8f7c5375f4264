package org.rnn4j.bench.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.BatchIterator;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.data.EpochPlan;
import org.rnn4j.api.data.IndexedDataset;
import org.rnn4j.api.data.SampleOrder;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.History;
import org.rnn4j.api.train.TrainingContext;
import org.rnn4j.bench.ProcessStats;
import org.rnn4j.bench.SyntheticData;
import org.rnn4j.bench.Workload;
import org.rnn4j.bench.rnn4j.Rnn4jModels;
import org.rnn4j.bootstrap.Rnn4j;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.cache.BuildProgress;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.data.csv.ColumnFile;
import org.rnn4j.data.csv.CsvSeriesReader;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.DoubleSeries;
import org.rnn4j.data.series.Scaler;
import org.rnn4j.data.series.SeriesColumns;
import org.rnn4j.data.text.TokenFile;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.recipe.StockData;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import org.rnn4j.zoo.recipe.StockRecipe;
import org.rnn4j.zoo.recipe.StreamedStockData;
import org.rnn4j.zoo.recipe.StreamedTextData;
import org.rnn4j.zoo.recipe.TextData;
import org.rnn4j.zoo.recipe.TextPreprocessing;
import org.rnn4j.zoo.recipe.TextRecipe;

/**
 * Training from data larger than memory, measured against the same model on in-memory tensors in
 * the same JVM, with one JSON line of results per case on stdout (progress on stderr):
 *
 * <ul>
 *   <li>{@code series}: a generated AR(1) CSV of {@code --rows} prices is parsed into a column
 *   cache, the article's recipe is fitted in streaming passes, and stock-simple-rnn's model trains
 *   on the streamed training windows for {@code --warmup + --timed} batches per round; the same
 *   model trains the same number of batches on tensors of a small series. Rounds alternate.</li>
 *   <li>{@code text}: a generated text of {@code --text-bytes} bytes, char-embedding-lstm's model,
 *   the same protocol.</li>
 *   <li>{@code prefetch}: W1 (or {@code --workload}, its first {@code --samples}; BENCHMARKS.md)
 *   by full epochs: batches gathered on the prefetch
 *   thread (a mapped view of the tensors), pre-made batches (gathered before timing, no thread),
 *   tensors with prefetch 0, and tensors with the default options (gathered on the training
 *   thread, as they are in memory), interleaved.</li>
 *   <li>{@code precision}: what storing prices as float32 instead of float64 would change in the
 *   model's inputs (scaled percent changes).</li>
 * </ul>
 *
 * <pre>
 * java -Xmx1g -cp ... org.rnn4j.bench.stream.StreamingBench --case series --rows 50000000 --dir benchmarks/target/streaming-data
 * </pre>
 */
public final class StreamingBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamingBench() {}

    public static void main(String[] args) throws IOException {
        ObjectNode r;
        try {
            r = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("streaming: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(r);
    }

    /** Runs one case and returns its result (what {@link #main} prints on one line). */
    public static ObjectNode run(String... args) throws IOException {
        String kase = "series";
        long rows = 50_000_000L;
        long textBytes = 1L << 30;
        Path dir = Path.of("benchmarks/target/streaming-data");
        String backend = "tf";
        int warmup = 200;
        int timed = 1_000;
        int rounds = 3;
        int warmupEpochs = 40;
        Workload workload = Workload.W1;
        int samples = 0;
        for (int i = 0; i + 1 < args.length || i < args.length; i += 2) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[i + 1];
            switch (a) {
                case "--case" -> kase = v;
                case "--rows" -> rows = Long.parseLong(v.replace("_", ""));
                case "--text-bytes" -> textBytes = Long.parseLong(v.replace("_", ""));
                case "--dir" -> dir = Path.of(v);
                case "--backend" -> backend = v;
                case "--warmup" -> warmup = Integer.parseInt(v);
                // rnn4j-tf's W1 rate keeps climbing for tens of short epochs (JIT): 40 untimed by default.
                case "--timed" -> timed = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--warmup-epochs" -> warmupEpochs = Integer.parseInt(v);
                case "--workload" -> workload = Workload.parse(v);
                case "--samples" -> samples = Integer.parseInt(v);
                default ->
                    throw new IllegalArgumentException("unknown option " + a
                            + " (known: --case series|text|prefetch|precision, --rows, --text-bytes, --dir,"
                            + " --backend, --warmup, --timed, --rounds, --warmup-epochs, --workload, --samples)");
            }
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("case", kase);
        r.put("date", Instant.now().toString());
        r.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        r.put("backend", backend);
        switch (kase) {
            case "series" -> series(r, dir, rows, backend, warmup, timed, rounds);
            case "text" -> text(r, dir, textBytes, backend, warmup, timed, rounds);
            case "prefetch" -> prefetch(r, backend, workload, samples, rounds, warmupEpochs);
            case "precision" -> precision(r, dir, rows);
            default -> throw new IllegalArgumentException("unknown case " + kase);
        }
        r.put("peak_rss_mb", mb(ProcessStats.peakRssKb()));
        return r;
    }

    // ------------------------------------------------------------------ series

    private static void series(ObjectNode r, Path dir, long rows, String backend, int warmup, int timed, int rounds)
            throws IOException {
        long t = System.nanoTime();
        Path csv = SyntheticFiles.ar1Csv(dir, rows);
        r.put("generate_s", seconds(t));
        r.put("file", csv.toString());
        r.put("file_mb", Files.size(csv) >> 20);
        t = System.nanoTime();
        ColumnFile columns = ColumnFile.of(
                csv, CsvSeriesReader.forColumns("close"), CacheFolder.at(dir.resolve("cache")), progress());
        r.put("cache_built", columns.wasBuilt());
        r.put("cache_s", seconds(t));
        r.put("rows", columns.rows());
        DoubleSeries prices = columns.column(0);
        SeriesColumns series = columns.series();
        StockRecipe recipe = StockRecipe.article().withColumn("close");
        t = System.nanoTime();
        StockPreprocessing pre = recipe.fit(series);
        r.put("fit_scaler_s", seconds(t));
        StreamedStockData streams = pre.stream(series);
        IndexedDataset train = streams.trainingSet();
        long windows = (long) train.count()
                + streams.validationSet().map(IndexedDataset::count).orElse(0)
                + streams.testSet().count();
        r.put("windows", windows);
        r.put("train_windows", train.count());
        r.put("in_memory_windows_gb", round(windows * (recipe.window() + 1) * 4.0 / (1L << 30), 2));
        r.put("shuffle", train.count() > SampleOrder.ARRAY_LIMIT ? "feistel" : "array");
        ModelSpec spec = Zoo.get("stock-simple-rnn").spec(pre);
        FitOptions fit = spec.fit();
        int batches = warmup + timed;
        // The small in-memory series: exactly one epoch of `batches` batches of the same recipe's windows.
        int smallRows = batches * fit.batchSize() + recipe.window() + 1;
        StockData small = recipe.prepare(prices.toArray(0, (int) Math.ceil(smallRows / 0.7) + 10));
        TensorDataset memory = small.trainingSet().slice(0, batches * fit.batchSize());
        compare(r, backend, spec, fit, memory, train, warmup, timed, rounds);
    }

    // ------------------------------------------------------------------ text

    private static void text(ObjectNode r, Path dir, long bytes, String backend, int warmup, int timed, int rounds)
            throws IOException {
        long t = System.nanoTime();
        Path file = SyntheticFiles.text(dir, bytes);
        r.put("generate_s", seconds(t));
        r.put("file", file.toString());
        r.put("file_mb", Files.size(file) >> 20);
        t = System.nanoTime();
        TokenFile tokens = TokenFile.characters(file, 0, CacheFolder.at(dir.resolve("cache")), progress());
        r.put("cache_built", tokens.wasBuilt());
        r.put("cache_s", seconds(t));
        r.put("characters", tokens.length());
        r.put("vocabulary", tokens.vocabulary().size());
        TextRecipe recipe = (TextRecipe) Zoo.get("char-embedding-lstm").recipe();
        TextPreprocessing pre = new TextPreprocessing(
                tokens.vocabulary(), recipe.sequenceLength(), recipe.stride(), recipe.input(), 0, recipe.split());
        StreamedTextData streams = pre.stream(tokens.ids());
        IndexedDataset train = streams.trainingSet();
        r.put("train_windows", train.count());
        long windows = (long) train.count()
                + streams.validationSet().map(IndexedDataset::count).orElse(0)
                + (streams.hasTest() ? streams.testSet().count() : 0);
        r.put("windows", windows);
        r.put("in_memory_windows_gb", round(windows * (recipe.sequenceLength() + 1) * 4.0 / (1L << 30), 2));
        r.put("shuffle", train.count() > SampleOrder.ARRAY_LIMIT ? "feistel" : "array");
        ModelSpec spec = Zoo.get("char-embedding-lstm").spec(pre);
        FitOptions fit = spec.fit();
        int batches = warmup + timed;
        // The small in-memory text: its first characters, enough for one epoch of `batches` batches.
        int chars = (int) ((long) batches * fit.batchSize() * recipe.stride() / 0.8) + 10_000;
        int[] ids = new int[chars];
        tokens.ids().read(0, ids, 0, chars);
        TextData small = pre.windows(tokens.vocabulary().decode(ids));
        TensorDataset memory = small.trainingSet().slice(0, batches * fit.batchSize());
        compare(r, backend, spec, fit, memory, train, warmup, timed, rounds);
    }

    // ------------------------------------------------------------------ both

    /** Rounds of: the in-memory epoch, then the same number of streamed batches; medians and memory. */
    private static void compare(
            ObjectNode r,
            String backend,
            ModelSpec spec,
            FitOptions fit,
            TensorDataset memory,
            IndexedDataset streamed,
            int warmup,
            int timed,
            int rounds) {
        r.put("model", spec.name());
        r.put("batch", fit.batchSize());
        r.put("warmup_batches", warmup);
        r.put("timed_batches", timed);
        r.put("rounds", rounds);
        List<Double> memRates = new ArrayList<>();
        List<Double> streamRates = new ArrayList<>();
        ArrayNode waits = r.putArray("streamed_data_wait_s");
        ArrayNode rss = r.putArray("rss_mb_after_round");
        try (Backend engine = Rnn4j.backend(backend);
                Model a = Model.create(spec, engine, fit.seed());
                Model b = Model.create(spec, engine, fit.seed())) {
            r.put("engine", engine.description());
            for (int round = 0; round < rounds; round++) {
                memRates.add(timedRun(a, memory, fit, round, warmup, timed).rate());
                Run s = timedRun(b, limit(streamed, warmup + timed), fit, round, warmup, timed);
                streamRates.add(s.rate());
                waits.add(round(s.dataWait(), 3));
                ObjectNode m = rss.addObject();
                m.put("rss", mb(ProcessStats.rssKb()));
                m.put("anon", mb(ProcessStats.rssAnonKb()));
                m.put("file", mb(ProcessStats.rssFileKb()));
                m.put("heap_committed", Runtime.getRuntime().totalMemory() >> 20);
                System.err.printf(
                        Locale.ROOT,
                        "round %d: in-memory %.0f samples/s, streamed %.0f samples/s (waited %.2f s), RSS %.0f MB%n",
                        round + 1,
                        memRates.get(round),
                        s.rate(),
                        s.dataWait(),
                        mb(ProcessStats.rssKb()));
            }
        }
        put(r.putArray("in_memory_samples_per_s"), memRates);
        put(r.putArray("streamed_samples_per_s"), streamRates);
        double mem = median(memRates);
        double str = median(streamRates);
        r.put("in_memory_median", round(mem, 1));
        r.put("streamed_median", round(str, 1));
        r.put("streamed_over_in_memory", round(str / mem, 3));
    }

    private record Run(double rate, double dataWait) {}

    /** One epoch of {@code warmup + timed} batches; the rate over the last {@code timed}. */
    private static Run timedRun(Model model, Dataset data, FitOptions fit, int epoch, int warmup, int timed) {
        long[] ends = new long[warmup + timed];
        Callback clock = new Callback() {
            @Override
            public void onBatchEnd(TrainingContext ctx, int e, int batch, int batches, double loss) {
                ends[batch] = System.nanoTime();
            }
        };
        History h = model.fitFrom(data, null, fit.withEpochs(epoch + 1), List.of(clock), epoch);
        double seconds = (ends[warmup + timed - 1] - ends[warmup - 1]) / 1e9;
        List<Double> waits = h.dataWaitSeconds();
        return new Run(timed * (double) fit.batchSize() / seconds, waits.get(waits.size() - 1));
    }

    /** The first {@code batches} batches of every pass of {@code source}. */
    static Dataset limit(IndexedDataset source, int batches) {
        return new Dataset() {
            @Override
            public OptionalLong sampleCount() {
                return OptionalLong.empty();
            }

            @Override
            public BatchIterator batches(EpochPlan plan) {
                BatchIterator it = source.batches(plan);
                return new BatchIterator() {
                    private int left = batches;

                    @Override
                    public boolean hasNext() {
                        return left > 0 && it.hasNext();
                    }

                    @Override
                    public Batch next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        left--;
                        return it.next();
                    }
                };
            }
        };
    }

    // ------------------------------------------------------------------ prefetch (W1 by default)

    private static void prefetch(
            ObjectNode r, String backend, Workload workload, int samples, int rounds, int warmupEpochs) {
        SyntheticData data = SyntheticData.of(workload, false);
        ModelSpec spec = Rnn4jModels.spec(workload, data.sizes());
        FitOptions fit =
                FitOptions.defaults().withBatchSize(data.sizes().batch()).withSeed(SyntheticData.SEED);
        int n = samples > 0 ? Math.min(samples, data.x().dim(0)) : data.x().dim(0);
        TensorDataset tensors =
                TensorDataset.of(data.x().sliceRows(0, n), data.y().sliceRows(0, n));
        r.put("workload", workload.id());
        r.put("samples", n);
        r.put("warmup_epochs", warmupEpochs);
        r.put("rounds", rounds);
        List<Double> on = new ArrayList<>();
        List<Double> premade = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        List<Double> byDefault = new ArrayList<>();
        try (Backend engine = Rnn4j.backend(backend);
                Model model = Model.create(spec, engine, SyntheticData.SEED)) {
            r.put("engine", engine.description());
            int epoch = 0;
            for (; epoch < warmupEpochs; epoch++) {
                epochRate(model, tensors, fit, epoch);
            }
            // In-memory tensors are gathered on the training thread by default now (Dataset.inMemory);
            // a mapped view of them is not "in memory", so it shows what the prefetch thread costs.
            Dataset threaded = tensors.map(b -> b);
            for (int round = 0; round < rounds; round++, epoch += 4) {
                on.add(epochRate(model, threaded, fit, epoch));
                premade.add(epochRate(model, premade(tensors, fit, epoch + 1), fit.withPrefetch(0), epoch + 1));
                off.add(epochRate(model, tensors, fit.withPrefetch(0), epoch + 2));
                byDefault.add(epochRate(model, tensors, fit, epoch + 3));
            }
        }
        put(r.putArray("prefetch_on_samples_per_s"), on);
        put(r.putArray("premade_samples_per_s"), premade);
        put(r.putArray("prefetch_off_samples_per_s"), off);
        r.put("prefetch_on_median", round(median(on), 1));
        r.put("premade_median", round(median(premade), 1));
        r.put("prefetch_off_median", round(median(off), 1));
        r.put("prefetch_on_over_premade", round(median(on) / median(premade), 3));
        r.put("prefetch_off_over_premade", round(median(off) / median(premade), 3));
        put(r.putArray("default_samples_per_s"), byDefault);
        r.put("default_median", round(median(byDefault), 1));
        r.put("default_over_premade", round(median(byDefault) / median(premade), 3));
        // Neighbouring epochs share the machine's state, so the median of per-round ratios is the steadier number.
        // "on" goes through Model's checking wrapper too (a NaN scan per batch, on the prefetch thread).
        r.put("default_over_prefetch_on_median_of_rounds", round(medianOfRatios(byDefault, on), 3));
        r.put("prefetch_on_over_premade_median_of_rounds", round(medianOfRatios(on, premade), 3));
    }

    /** The median over rounds of {@code a[i] / b[i]}. */
    private static double medianOfRatios(List<Double> a, List<Double> b) {
        List<Double> ratios = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            ratios.add(a.get(i) / b.get(i));
        }
        return median(ratios);
    }

    private static double epochRate(Model model, Dataset data, FitOptions fit, int epoch) {
        long t = System.nanoTime();
        History h = model.fitFrom(data, null, fit.withEpochs(epoch + 1), List.of(), epoch);
        double s = (System.nanoTime() - t) / 1e9;
        return h.epochs() > 0 ? data.sampleCount().getAsLong() / s : Double.NaN;
    }

    /** The batches of {@code epoch}'s plan, gathered now (before timing) and handed out as they are. */
    private static Dataset premade(TensorDataset tensors, FitOptions fit, int epoch) {
        EpochPlan plan = EpochPlan.training(fit, epoch);
        List<Batch> batches = new ArrayList<>();
        try (BatchIterator it = tensors.batches(plan)) {
            it.forEachRemaining(batches::add);
        }
        return new Dataset() {
            @Override
            public OptionalLong sampleCount() {
                return OptionalLong.of(tensors.count());
            }

            @Override
            public BatchIterator batches(EpochPlan p) {
                if (!p.equals(plan)) {
                    throw new IllegalStateException("pre-made for " + plan + ", asked for " + p);
                }
                var it = batches.iterator();
                return new BatchIterator() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Batch next() {
                        return it.next();
                    }
                };
            }
        };
    }

    // ------------------------------------------------------------------ precision

    /** How much float32 storage of prices would change the model's float32 inputs. */
    private static void precision(ObjectNode r, Path dir, long rows) throws IOException {
        double[] sp500 = DemoData.sp500().column("close");
        r.set("sp500", precisionOf(sp500));
        Path csv = SyntheticFiles.ar1Csv(dir, rows);
        ColumnFile columns = ColumnFile.of(
                csv, CsvSeriesReader.forColumns("close"), CacheFolder.at(dir.resolve("cache")), progress());
        int n = Math.toIntExact(Math.min((long) columns.rows(), 5_000_000L));
        r.set("ar1_first_" + n, precisionOf(columns.column(0).toArray(0, n)));
    }

    private static ObjectNode precisionOf(double[] prices) {
        double[] as32 = new double[prices.length];
        for (int i = 0; i < prices.length; i++) {
            as32[i] = (float) prices[i];
        }
        StockPreprocessing pre = StockRecipe.article().fit(prices);
        Scaler scaler = pre.targetTransform().scaler();
        double[] pct64 = Differencing.percent().apply(prices);
        double[] pct32 = Differencing.percent().apply(as32);
        double maxAbs = 0;
        double maxRel = 0;
        double maxScaled = 0;
        long inputsDiffer = 0;
        for (int i = 0; i < pct64.length; i++) {
            double d = Math.abs(pct64[i] - pct32[i]);
            maxAbs = Math.max(maxAbs, d);
            if (pct64[i] != 0) {
                maxRel = Math.max(maxRel, d / Math.abs(pct64[i]));
            }
            double s64 = scaler.transform(pct64[i]);
            double s32 = scaler.transform(pct32[i]);
            maxScaled = Math.max(maxScaled, Math.abs(s64 - s32));
            if ((float) s64 != (float) s32) {
                inputsDiffer++;
            }
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("prices", prices.length);
        o.put("max_abs_pct_change_error", maxAbs);
        o.put("max_rel_pct_change_error", maxRel);
        o.put("max_abs_scaled_input_error", maxScaled);
        o.put("float32_inputs_that_differ", inputsDiffer);
        o.put("float32_inputs_that_differ_share", round(inputsDiffer / (double) pct64.length, 4));
        return o;
    }

    // ------------------------------------------------------------------ helpers

    private static BuildProgress progress() {
        return (what, items, bytes, total, nanos, done) -> {
            double s = nanos / 1e9;
            System.err.printf(
                    Locale.ROOT,
                    "%s: %,d done, %.1f%%, %.0f per second, %.1f s%s%n",
                    what,
                    items,
                    100.0 * bytes / Math.max(1, total),
                    items / Math.max(1e-9, s),
                    s,
                    done ? " (done)" : "");
        };
    }

    private static void put(ArrayNode a, List<Double> values) {
        values.forEach(v -> a.add(round(v, 1)));
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static double seconds(long start) {
        return round((System.nanoTime() - start) / 1e9, 2);
    }

    private static double mb(long kb) {
        return kb < 0 ? -1 : round(kb / 1024.0, 1);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
