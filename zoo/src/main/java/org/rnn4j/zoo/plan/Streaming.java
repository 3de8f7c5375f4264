package org.rnn4j.zoo.plan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.rnn4j.api.data.MemoryBudget;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.data.cache.BuildProgress;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.data.text.InputEncoding;
import org.rnn4j.zoo.recipe.Recipe;
import org.rnn4j.zoo.recipe.StockRecipe;
import org.rnn4j.zoo.recipe.TextRecipe;
import org.rnn4j.zoo.recipe.WordRecipe;

/**
 * Whether a {@code --data} file is prepared in memory or streamed: a file whose in-memory
 * preparation ({@link #estimate}) would need more than {@code streamAbove} bytes is parsed once
 * into a memory-mapped cache in {@code cache} (reporting to {@code progress}) and its windows are
 * cut while training ({@code StreamedStockData}, {@code StreamedTextData}): the same windows,
 * batches and weights. {@link #OFF} never streams and refuses, in one line, a file whose in-memory
 * preparation would not fit the heap.
 *
 * @param streamAbove the in-memory need in bytes above which a file streams; {@link Long#MAX_VALUE}: never
 * @param notes       hears one line about each cache (built or reused, and why)
 */
public record Streaming(long streamAbove, CacheFolder cache, BuildProgress progress, Consumer<String> notes) {
    /** The share of the maximum heap above which {@link #auto} streams. */
    public static final double HEAP_SHARE = 0.25;

    /** The system property that sets {@link #streamAbove} for {@link #auto} (bytes; 0 streams every file). */
    public static final String STREAM_ABOVE = "rnn4j.streamAbove";

    /** Prepares everything in memory; refuses what would not fit the heap. */
    public static final Streaming OFF = new Streaming(Long.MAX_VALUE, null, BuildProgress.NONE, s -> {});

    public Streaming {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(notes, "notes");
        if (streamAbove < Long.MAX_VALUE) {
            Objects.requireNonNull(cache, "cache");
        }
    }

    /**
     * Streams files whose in-memory preparation would need more than {@code -Drnn4j.streamAbove}
     * bytes, else a quarter of the maximum heap; caches in {@link CacheFolder#standard()}.
     */
    public static Streaming auto(BuildProgress progress, Consumer<String> notes) {
        String v = System.getProperty(STREAM_ABOVE);
        long above;
        if (v == null || v.isBlank()) {
            above = (long) (HEAP_SHARE * Runtime.getRuntime().maxMemory());
        } else {
            try {
                above = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + STREAM_ABOVE + " must be a number of bytes, got '" + v + "'");
            }
        }
        return new Streaming(above, CacheFolder.standard(), progress, notes);
    }

    /**
     * True when {@code data} (a file, not a shipped dataset) is to be streamed for {@code recipe};
     * when it is not, checks that its in-memory preparation fits the heap.
     */
    boolean streams(Recipe recipe, String data, Integer maxChars, int columns) throws IOException {
        if (data == null || DataSource.isShipped(data) || !Files.isRegularFile(Path.of(data))) {
            return false;
        }
        return decide(
                data,
                estimate(recipe, Path.of(data), maxChars, columns),
                aboveReadCap(recipe, Path.of(data), maxChars));
    }

    /**
     * True when the series file {@code data} is to be streamed for a model reading windows of
     * {@code window} rows of {@code columns} columns (a saved model's data, which has no recipe);
     * when it is not, checks that its in-memory preparation fits the heap.
     */
    public boolean streamsSeries(String data, int window, int columns) throws IOException {
        if (data == null || DataSource.isShipped(data) || !Files.isRegularFile(Path.of(data))) {
            return false;
        }
        Path file = Path.of(data);
        return decide(data, estimateSeries(file, window, columns), Files.size(file) > InputCap.CSV.value());
    }

    private boolean decide(String data, long need, boolean aboveReadCap) {
        if (need > streamAbove || (streamAbove < Long.MAX_VALUE && aboveReadCap)) {
            return true;
        }
        MemoryBudget.require(
                need,
                "preparing " + data + " in memory",
                streamAbove == Long.MAX_VALUE
                        ? "raise the heap (RNN4J_JAVA_OPTS=-Xmx4g), or train with ./rnn4j train, which streams large"
                                + " files"
                        : "raise the heap (RNN4J_JAVA_OPTS=-Xmx4g) or keep fewer characters with --max-chars");
        return false;
    }

    /**
     * True when the in-memory readers would refuse {@code file} for its size: a CSV above
     * {@link InputCap#CSV}, or a text above {@link InputCap#TEXT} of which every character is kept
     * (with a character limit the in-memory reader reads only the file's start). Streaming reads any
     * size in bounded memory, so such a file streams rather than being refused.
     */
    static boolean aboveReadCap(Recipe recipe, Path file, Integer maxChars) throws IOException {
        long size = Files.size(file);
        if (recipe instanceof StockRecipe) {
            return size > InputCap.CSV.value();
        }
        int max = maxChars != null
                ? maxChars
                : recipe instanceof TextRecipe t
                        ? t.maxCharacters()
                        : recipe instanceof WordRecipe w ? w.maxCharacters() : -1;
        return max == 0 && size > InputCap.TEXT.value();
    }

    /**
     * Bytes the in-memory preparation of {@code file} would hold at once. A CSV: about
     * {@code 56 + columns * (24 + 4 * (window + 1))} bytes per row (the parsed rows, the columns,
     * their transforms, the windows and targets; 300 for the article's one column and windows of
     * 50), rows estimated from the first megabyte's lines. A text: the file decoded (1 + 2 + 2 bytes
     * per byte) plus 4 bytes per id and per window value of what is kept; words about 60 bytes more
     * per word.
     */
    public static long estimate(Recipe recipe, Path file, Integer maxChars, int columns) throws IOException {
        long size = Files.size(file);
        if (recipe instanceof StockRecipe stock) {
            return estimateSeries(file, stock.window(), columns);
        }
        if (recipe instanceof TextRecipe t) {
            int max = maxChars != null ? maxChars : t.maxCharacters();
            long kept = max == 0 ? size : Math.min(size, max);
            long windows = kept / t.stride();
            int perValue = t.input() == InputEncoding.ONE_HOT ? 4 * 80 : 4;
            return 5 * size + 4 * kept + windows * ((long) t.sequenceLength() * perValue + 4);
        }
        if (recipe instanceof WordRecipe w) {
            int max = maxChars != null ? maxChars : w.maxCharacters();
            long kept = max == 0 ? size : Math.min(size, max);
            long words = kept / 6;
            return 5 * size + 4 * kept + words * (56 + 4 + 4L * (w.sequenceLength() + 1) / w.stride());
        }
        return 0;
    }

    private static long estimateSeries(Path file, int window, int columns) throws IOException {
        long perRow = 56 + (long) Math.max(1, columns) * (24 + 4L * (window + 1));
        return estimateLines(file, Files.size(file)) * perRow;
    }

    private static long estimateLines(Path file, long size) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(1 << 20);
        }
        if (head.length == 0) {
            return 0;
        }
        long lines = 0;
        for (byte b : head) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines == 0 ? 1 : (long) Math.ceil(size * (double) lines / head.length);
    }
}
