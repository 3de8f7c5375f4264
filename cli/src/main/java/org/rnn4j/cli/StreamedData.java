package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.rnn4j.api.Model;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.data.MemoryBudget;
import org.rnn4j.api.data.SampleOrder;
import org.rnn4j.data.cache.BuildProgress;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.data.csv.ColumnFile;
import org.rnn4j.data.csv.CsvSeriesReader;
import org.rnn4j.data.csv.GapPolicy;
import org.rnn4j.data.series.DoubleSeries;
import org.rnn4j.data.text.TokenFile;
import org.rnn4j.zoo.evaluation.ForecastEvaluation;
import org.rnn4j.zoo.evaluation.LanguageModelScore;
import org.rnn4j.zoo.evaluation.NaiveForecast;
import org.rnn4j.zoo.recipe.Recipe;
import org.rnn4j.zoo.recipe.StockRecipe;
import org.rnn4j.zoo.recipe.StockStreams;
import org.rnn4j.zoo.recipe.TextPreprocessing;
import org.rnn4j.zoo.recipe.TextRecipe;
import org.rnn4j.zoo.recipe.TextStreams;
import org.rnn4j.zoo.recipe.WordPreprocessing;
import org.rnn4j.zoo.recipe.WordRecipe;

/**
 * A {@code --data} file too large to prepare in memory, prepared to stream instead: a CSV's price
 * column parsed once into a memory-mapped column cache ({@link ColumnFile}), a text's characters
 * or words into a token cache ({@link TokenFile}), with a progress line on stderr while they are built;
 * the windows are cut batch by batch while training. The numbers are those of the in-memory
 * path (the same preprocessing, batches and weights), so the choice can follow the heap.
 *
 * <p>A file streams when the in-memory preparation would need more than a quarter of the maximum
 * heap ({@link #estimateInMemory}; {@code -Drnn4j.streamAbove=BYTES} sets another bound, 0 streams
 * every file); shipped datasets always use memory.
 */
record StreamedData(String source, String column, StockStreams stock, TextStreams text, long inMemoryBytes) {

    /** The share of the maximum heap above which a file is streamed. */
    static final double HEAP_SHARE = 0.25;

    /** The system property that sets the in-memory need (bytes) above which files stream; 0 streams every file. */
    static final String STREAM_ABOVE = "rnn4j.streamAbove";

    /** The in-memory need above which a file streams: {@value #STREAM_ABOVE}, else a quarter of the maximum heap. */
    static long streamAbove() {
        String v = System.getProperty(STREAM_ABOVE);
        if (v == null || v.isBlank()) {
            return (long) (HEAP_SHARE * Runtime.getRuntime().maxMemory());
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + STREAM_ABOVE + " must be a number of bytes, got '" + v + "'");
        }
    }

    /** The largest number of test prices the forecast plot draws (the last ones). */
    static final int PLOT_POINTS = 2_000;

    /**
     * The streamed form of {@code data} for {@code recipe}, or {@code null} when preparing it in
     * memory fits (small files, shipped datasets, word recipes).
     */
    static StreamedData prepare(
            Recipe recipe, String data, String column, Integer maxChars, GapPolicy gaps, PrintWriter err)
            throws IOException {
        if (data == null || DataSources.isShipped(data)) {
            return null;
        }
        Path file = Path.of(data);
        if (!Files.isRegularFile(file)) {
            return null; // DataSources names the problem
        }
        long need = estimateInMemory(recipe, file, maxChars);
        if (need <= streamAbove()) {
            return null;
        }
        BuildProgress progress = new ProgressLine(err, System.console() != null);
        CacheFolder cache = CacheFolder.standard();
        if (recipe instanceof StockRecipe stock) {
            String c = column != null ? column : stock.column();
            CsvSeriesReader reader = CsvSeriesReader.forColumns(c).withGapPolicy(gaps);
            ColumnFile columns = ColumnFile.of(file, reader, cache, progress);
            announce(err, columns.wasBuilt(), columns.rebuildReason(), columns.path());
            DoubleSeries prices = columns.column(0);
            StockRecipe fitted = stock.withColumn(c);
            StockStreams streams = fitted.fit(prices).stream(prices);
            // Fisher-Yates order of the training windows, the test forecasts and their scores in the heap.
            long test = streams.testSize();
            MemoryBudget.require(
                    (streams.train().count() <= SampleOrder.ARRAY_LIMIT
                                    ? 4L * streams.train().count()
                                    : 0)
                            + 8L * 5 * test,
                    "streaming " + columns.rows() + " prices ("
                            + streams.train().count() + " training windows, " + test + " test forecasts)",
                    "raise the heap (RNN4J_JAVA_OPTS=-Xmx2g) or train on a shorter series");
            return new StreamedData(file.toString(), c, streams, null, need);
        }
        if (recipe instanceof TextRecipe t) {
            int max = maxChars != null ? maxChars : t.maxCharacters();
            TokenFile tokens = TokenFile.characters(file, max, cache, progress);
            announce(err, tokens.wasBuilt(), tokens.rebuildReason(), tokens.path());
            TextPreprocessing pre = new TextPreprocessing(
                    tokens.vocabulary(), t.sequenceLength(), t.stride(), t.input(), max, t.split());
            MemoryBudget.require(
                    tokens.length() / t.stride() <= SampleOrder.ARRAY_LIMIT ? 4L * tokens.length() / t.stride() : 0,
                    "streaming " + tokens.length() + " characters",
                    "raise the heap (RNN4J_JAVA_OPTS=-Xmx2g) or keep fewer characters with --max-chars");
            return new StreamedData(file.toString(), null, null, pre.stream(tokens.ids()), need);
        }
        if (recipe instanceof WordRecipe w) {
            WordRecipe r = maxChars != null ? w.withMaxCharacters(maxChars) : w;
            TokenFile tokens = TokenFile.words(
                    file, r.maxCharacters(), r.tokenizerOptions(), r.split(), r.numWords() - 2, cache, progress);
            announce(err, tokens.wasBuilt(), tokens.rebuildReason(), tokens.path());
            MemoryBudget.require(
                    tokens.length() / r.stride() <= SampleOrder.ARRAY_LIMIT ? 4L * tokens.length() / r.stride() : 0,
                    "streaming " + tokens.length() + " words",
                    "raise the heap (RNN4J_JAVA_OPTS=-Xmx2g) or keep fewer characters with --max-chars");
            return new StreamedData(file.toString(), null, null, r.fit(tokens.tokenizer()).stream(tokens.ids()), need);
        }
        return null;
    }

    /**
     * Bytes the in-memory preparation of {@code file} would hold at once: for a CSV, about 300
     * bytes per row for the article's windows of 50 (the parsed rows, prices, differences, the
     * float column, the windows and targets); for a text, the file decoded (1 + 2 + 2 bytes per
     * character) plus 4 bytes per id and per window value of the characters kept. Rows are
     * estimated from the first megabyte's lines.
     */
    static long estimateInMemory(Recipe recipe, Path file, Integer maxChars) throws IOException {
        long size = Files.size(file);
        if (recipe instanceof StockRecipe stock) {
            long rows = estimateLines(file, size);
            long perRow = 32 + 3 * 8 + 4 + 4L * (stock.window() + 1) + 24;
            return rows * perRow;
        }
        if (recipe instanceof TextRecipe t) {
            int max = maxChars != null ? maxChars : t.maxCharacters();
            long kept = max == 0 ? size : Math.min(size, max);
            long windows = kept / t.stride();
            int perValue = t.input() == org.rnn4j.data.text.InputEncoding.ONE_HOT ? 4 * 80 : 4;
            return 5 * size + 4 * kept + windows * ((long) t.sequenceLength() * perValue + 4);
        }
        if (recipe instanceof WordRecipe w) {
            // The text, its lowercased copy and one String per word (about six bytes of text each).
            int max = maxChars != null ? maxChars : w.maxCharacters();
            long kept = max == 0 ? size : Math.min(size, max);
            long words = kept / 6;
            return 5 * size + 4 * kept + words * (56 + 4 + 4L * (w.sequenceLength() + 1) / w.stride());
        }
        return 0;
    }

    /**
     * Refuses, before reading it, a {@code --data} file whose in-memory preparation would not fit the
     * heap (word models, and commands that do not stream): one line naming the need and the way out.
     */
    static void requireInMemory(Recipe recipe, String data, Integer maxChars) throws IOException {
        if (data == null || DataSources.isShipped(data) || !Files.isRegularFile(Path.of(data))) {
            return;
        }
        MemoryBudget.require(
                estimateInMemory(recipe, Path.of(data), maxChars),
                "preparing " + data + " in memory",
                recipe instanceof StockRecipe
                        ? "raise the heap (RNN4J_JAVA_OPTS=-Xmx4g) or use train, which streams large files"
                        : "keep fewer characters with --max-chars or raise the heap (RNN4J_JAVA_OPTS=-Xmx4g)");
    }

    private static long estimateLines(Path file, long size) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(1 << 20);
        }
        long lines = 0;
        for (byte b : head) {
            if (b == '\n') {
                lines++;
            }
        }
        if (head.length == 0) {
            return 0;
        }
        return lines == 0 ? 1 : (long) Math.ceil(size * (double) lines / head.length);
    }

    private static void announce(PrintWriter err, boolean built, String reason, Path cache) {
        err.println(
                built
                        ? "Built the cache " + cache + " (" + reason + ")"
                        : "Reusing the cache " + cache + " (the file is unchanged)");
        err.flush();
    }

    Dataset train() {
        return stock != null ? stock.train() : text.train();
    }

    /** The validation windows, or {@code null} when the split holds none. */
    Dataset validation() {
        if (stock != null) {
            return stock.validation();
        }
        return text.validation();
    }

    ObjectNode preprocessing() {
        return stock != null
                ? stock.preprocessing().toJson()
                : text.preprocessing().toJson();
    }

    String describe() {
        if (stock != null) {
            return String.format(
                    Locale.ROOT,
                    "%s, %d prices -> %d train / %d validation / %d test windows, streamed from a column cache"
                            + " (in memory they would need about %s)",
                    column,
                    stock.prices().length(),
                    stock.train().count(),
                    stock.hasValidation() ? stock.validation().count() : 0,
                    stock.testSize(),
                    MemoryBudget.describe(inMemoryBytes));
        }
        return String.format(
                Locale.ROOT,
                "%d train / %d validation / %d test sequences, streamed from a token cache"
                        + " (in memory they would need about %s)",
                text.train().count(),
                text.hasValidation() ? text.validation().count() : 0,
                text.hasTest() ? text.test().count() : 0,
                MemoryBudget.describe(inMemoryBytes));
    }

    /** The test split's one-step forecasts, scored against the naive forecast, predicted batch by batch. */
    Scoring.StockScore scoreStock(Model model, int batchSize) {
        double[] predicted = new double[stock.testSize()];
        int[] at = {0};
        model.predict(stock.test(), batchSize, out -> {
            float[] f = out.floatView();
            for (float v : f) {
                predicted[at[0]++] = v;
            }
        });
        ForecastEvaluation ev = stock.evaluate(predicted);
        double[] forecast = stock.forecast(predicted);
        double[] actual = stock.testActual();
        int from = Math.max(0, actual.length - PLOT_POINTS);
        double[] previous = NaiveForecast.lastValue(
                stock.prices()
                        .toArray(stock.firstTestPriceIndex() - 1, stock.prices().length()),
                1);
        return new Scoring.StockScore(
                Arrays.copyOfRange(actual, from, actual.length),
                Arrays.copyOfRange(forecast, from, forecast.length),
                Arrays.copyOfRange(previous, from, previous.length),
                ev);
    }

    /** The title of the forecast plot: it shows the last {@value #PLOT_POINTS} test prices at most. */
    String plotTitle(String name) {
        int n = stock.testSize();
        return n <= PLOT_POINTS
                ? name + ": test split, one-step forecasts"
                : name + ": the last " + PLOT_POINTS + " of " + n + " test prices, one-step forecasts";
    }

    LanguageModelScore scoreText(Model model, int batchSize) {
        if (!text.hasTest()) {
            throw new IllegalArgumentException(
                    "the test split of the text is shorter than one sequence; use a longer text");
        }
        double loss = model.evaluate(text.test(), batchSize).get("loss");
        String unit = text.preprocessing() instanceof WordPreprocessing ? "word" : "character";
        return new LanguageModelScore(unit, text.test().count(), loss);
    }

    /** The cache build's progress on stderr: rows or characters per second and the time left. */
    static final class ProgressLine implements BuildProgress {
        private final PrintWriter err;
        private final boolean terminal;
        private long lastPrinted;

        ProgressLine(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public void update(String what, long items, long bytesRead, long totalBytes, long nanos, boolean done) {
            // On a terminal the line is redrawn in place; in a log, one line every five seconds and the last.
            if (!done && !terminal && nanos - lastPrinted < 5_000_000_000L) {
                return;
            }
            lastPrinted = nanos;
            double seconds = nanos / 1e9;
            double fraction = totalBytes == 0 ? 1 : bytesRead / (double) totalBytes;
            String unit = what.startsWith("column") ? "rows" : "characters";
            String line = String.format(
                    Locale.ROOT,
                    "Building the %s: %,d %s (%.0f%%), %s %s/s, %s",
                    what,
                    items,
                    unit,
                    100 * fraction,
                    rate(items / Math.max(seconds, 1e-9)),
                    unit,
                    done
                            ? "done in " + ProgressCallback.duration(seconds)
                            : "ETA " + ProgressCallback.duration(seconds * (1 - fraction) / Math.max(fraction, 1e-9)));
            err.print(terminal ? "\r" + line + (done ? "\n" : "   ") : line + "\n");
            err.flush();
        }

        private static String rate(double perSecond) {
            return perSecond >= 1e6
                    ? String.format(Locale.ROOT, "%.1fM", perSecond / 1e6)
                    : String.format(Locale.ROOT, "%,.0f", perSecond);
        }
    }
}
