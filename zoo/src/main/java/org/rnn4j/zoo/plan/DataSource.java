package org.rnn4j.zoo.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnn4j.api.input.BoundedInput;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.api.input.InputTooLargeException;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.DemoDataset;
import org.rnn4j.data.csv.ColumnFile;
import org.rnn4j.data.csv.CsvSeriesReader;
import org.rnn4j.data.csv.LongFormatCsv;
import org.rnn4j.data.series.TimeSeries;

/**
 * Resolves a data argument ({@code --data}): a shipped dataset by name ({@code sp500}, {@code amzn},
 * {@code stocks}, {@code kjv}) or a file, read as a series of named columns or as text. A long-format
 * file (a key column such as {@code symbol}) needs the key of one series; without one the error lists
 * the keys present.
 */
public final class DataSource {
    private DataSource() {}

    /**
     * A series as read, with exactly the requested columns.
     *
     * @param source where it came from, for messages and the saved model ({@code sp500}, a path)
     */
    public record SeriesInput(String source, TimeSeries series) {}

    /** True for a shipped dataset's name that is not also a file in the working directory. */
    public static boolean isShipped(String data) {
        return DemoData.names().stream().anyMatch(n -> n.equalsIgnoreCase(data)) && !Files.exists(Path.of(data));
    }

    /**
     * The column to forecast when none is named: a shipped series' own default, else
     * {@code fallback} when the file has it, else the file's only value column (not the date, not
     * the key), else an error listing the columns.
     */
    public static String defaultColumn(String data, ReadOptions read, String fallback) throws IOException {
        String c = defaultColumnOrNull(data, read, fallback);
        if (c == null) {
            throw new IllegalArgumentException("--data " + data + " has no column '" + fallback
                    + "'; name the column to forecast with --target, one of " + header(data, read));
        }
        return c;
    }

    /** As {@link #defaultColumn}, {@code null} when no single column stands out. */
    static String defaultColumnOrNull(String data, ReadOptions read, String fallback) throws IOException {
        if (isShipped(data)) {
            DemoDataset d = DemoData.dataset(data);
            if (d.kind() == DemoDataset.Kind.SERIES) {
                return d.defaultColumn();
            }
            if (d.kind() == DemoDataset.Kind.TEXT) {
                throw notSeries(d);
            }
            try (InputStream in = DemoData.open(d.name())) {
                return pick(
                        read.reader("x").header(new InputStreamReader(in, StandardCharsets.UTF_8), data),
                        read,
                        fallback);
            }
        }
        Path file = existingFile(data, seriesHint());
        try (var in = csv(file)) {
            return pick(read.reader("x").header(in, data), read, fallback);
        }
    }

    private static List<String> header(String data, ReadOptions read) throws IOException {
        if (isShipped(data)) {
            try (InputStream in = DemoData.open(DemoData.dataset(data).name())) {
                return read.reader("x").header(new InputStreamReader(in, StandardCharsets.UTF_8), data);
            }
        }
        try (var in = csv(existingFile(data, seriesHint()))) {
            return read.reader("x").header(in, data);
        }
    }

    /** A strict UTF-8 reader of a CSV's first bytes, for its header: a regular file, held to {@link InputCap#CSV}. */
    private static java.io.Reader csv(Path file) throws IOException {
        return new java.io.BufferedReader(
                new InputStreamReader(BoundedInput.open(file, InputCap.CSV), StandardCharsets.UTF_8.newDecoder()));
    }

    private static String pick(List<String> header, ReadOptions read, String fallback) {
        for (String h : header) {
            if (normalised(h).equals(normalised(fallback))) {
                return h;
            }
        }
        List<String> values = new ArrayList<>();
        for (String h : header) {
            String n = normalised(h);
            if (!n.equals("date") && !n.equals(normalised(read.by()))) {
                values.add(h);
            }
        }
        return values.size() == 1 ? values.get(0) : null;
    }

    private static String normalised(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }

    /** Reads {@code columns} (the target among them) of {@code data}. */
    public static SeriesInput series(String data, List<String> columns, ReadOptions read) throws IOException {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("name at least one column to read");
        }
        String[] names = columns.toArray(new String[0]);
        if (isShipped(data)) {
            DemoDataset d = DemoData.dataset(data);
            if (d.kind() == DemoDataset.Kind.TEXT) {
                throw notSeries(d);
            }
            if (d.kind() == DemoDataset.Kind.SERIES) {
                if (read.symbol() != null) {
                    throw new IllegalArgumentException("--symbol picks a series of a long-format file, but --data "
                            + d.name() + " is one series; use --data " + DemoData.STOCKS + " --symbol "
                            + read.symbol() + " for the long file");
                }
                TimeSeries all = DemoData.series(d.name());
                return new SeriesInput(d.name(), all.select(names));
            }
            return fromLongStream(d, names, read);
        }
        Path file = existingFile(data, seriesHint());
        LongFormatCsv longFormat = new LongFormatCsv(read.by(), read.reader(names));
        if (read.symbol() != null) {
            return new SeriesInput(file.toString(), longFormat.read(file, read.symbol()));
        }
        if (longFormat.isLongFormat(file)) {
            throw longFormatNeedsSymbol(file.toString(), read.by(), longFormat.keys(file));
        }
        return new SeriesInput(file.toString(), read.reader(names).read(file));
    }

    /**
     * A file's columns parsed once into a memory-mapped column cache (or the cache reused while the
     * file is unchanged), for a series larger than memory: the same rows {@link #series} reads, with
     * the same checks.
     *
     * @param source the file, for messages and the saved model
     */
    public record StreamedInput(String source, ColumnFile columns) {}

    /** As {@link #series} for a file, streamed into its column cache. */
    public static StreamedInput streamedSeries(String data, List<String> columns, ReadOptions read, Streaming streaming)
            throws IOException {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("name at least one column to read");
        }
        String[] names = columns.toArray(new String[0]);
        Path file = existingFile(data, seriesHint());
        CsvSeriesReader reader = read.reader(names);
        if (read.symbol() != null) {
            reader = reader.where(read.by(), read.symbol());
        } else {
            LongFormatCsv longFormat = new LongFormatCsv(read.by(), reader);
            if (longFormat.isLongFormat(file)) {
                throw longFormatNeedsSymbol(file.toString(), read.by(), longFormat.keys(file));
            }
        }
        return new StreamedInput(file.toString(), ColumnFile.of(file, reader, streaming.cache(), streaming.progress()));
    }

    private static SeriesInput fromLongStream(DemoDataset d, String[] names, ReadOptions read) throws IOException {
        LongFormatCsv longFormat = new LongFormatCsv(read.by(), read.reader(names));
        if (read.symbol() == null) {
            try (InputStream in = DemoData.open(d.name())) {
                throw longFormatNeedsSymbol(d.name(), read.by(), longFormat.keys(in, d.resource()));
            }
        }
        try (InputStream in = DemoData.open(d.name())) {
            return new SeriesInput(d.name(), longFormat.read(in, d.resource(), read.symbol()));
        }
    }

    private static IllegalArgumentException longFormatNeedsSymbol(String data, String by, List<String> keys) {
        return new IllegalArgumentException("--data " + data + " is a long-format file: its column '" + by + "' names "
                + keys.size() + " series " + keys + "; pick one with --symbol, e.g. --symbol "
                + (keys.isEmpty() ? "NAME" : keys.get(0)));
    }

    private static IllegalArgumentException notSeries(DemoDataset d) {
        return new IllegalArgumentException("--data " + d.name() + " is text, not a series; shipped series: "
                + DemoData.names(DemoDataset.Kind.SERIES) + ", " + DemoData.STOCKS + " (long format), or a CSV file");
    }

    private static String seriesHint() {
        return "a CSV file or a shipped series " + DemoData.names(DemoDataset.Kind.SERIES) + " or " + DemoData.STOCKS;
    }

    /** Reads a text: a shipped text dataset or a UTF-8 file. */
    public static String text(String data) throws IOException {
        return text(data, 0);
    }

    /**
     * Reads a text: a shipped text dataset or a UTF-8 file. A file above {@link InputCap#TEXT} is
     * read only up to its first {@code maxChars} characters, all a recipe cutting that many uses
     * (0: all, so such a file is refused).
     */
    public static String text(String data, int maxChars) throws IOException {
        if (isShipped(data)) {
            DemoDataset d = DemoData.dataset(data);
            if (d.kind() != DemoDataset.Kind.TEXT) {
                throw new IllegalArgumentException("--data " + data + " is a price series, not text; shipped texts: "
                        + DemoData.names(DemoDataset.Kind.TEXT) + ", or give a UTF-8 text file");
            }
            return DemoData.text(d.name());
        }
        Path file = existingFile(data, "a UTF-8 text file or a shipped text " + DemoData.names(DemoDataset.Kind.TEXT));
        String text;
        try {
            text = BoundedInput.readText(file, maxChars);
        } catch (InputTooLargeException e) {
            throw new IllegalArgumentException("--data " + file + " is larger than " + InputCap.TEXT.describe()
                    + "; give --max-chars N to read only its first N characters, or " + InputCap.TEXT.wayOut());
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty; give a text to learn from");
        }
        return text;
    }

    static Path existingFile(String data, String what) {
        Path file = Path.of(data);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--data " + data + ": no such file; give " + what);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--data " + data + " is not a regular file; give " + what);
        }
        return file;
    }
}
