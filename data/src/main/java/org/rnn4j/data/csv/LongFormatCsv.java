package org.rnn4j.data.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rnn4j.data.series.TimeSeries;

/**
 * A long-format CSV: several series in one file, one row per (key, date), e.g. vega's
 * {@code symbol,date,price}. Lists the keys and reads one key's rows as a {@link TimeSeries} with
 * the value columns of a {@link CsvSeriesReader} (its delimiter, date format and gap policy apply).
 *
 * <pre>{@code
 * LongFormatCsv stocks = new LongFormatCsv("symbol", CsvSeriesReader.forColumns("price"));
 * List<String> symbols = stocks.keys(Path.of("stocks.csv"));          // [MSFT, AMZN, IBM, GOOG, AAPL]
 * TimeSeries amzn = stocks.read(Path.of("stocks.csv"), "AMZN");
 * }</pre>
 */
public final class LongFormatCsv {
    /** The key column when none is named. */
    public static final String DEFAULT_KEY = "symbol";

    private final String keyColumn;
    private final CsvSeriesReader values;

    public LongFormatCsv(String keyColumn, CsvSeriesReader values) {
        if (keyColumn == null || keyColumn.isBlank()) {
            throw new IllegalArgumentException("a long-format file needs a key column, e.g. symbol");
        }
        this.keyColumn = keyColumn;
        this.values = Objects.requireNonNull(values, "values");
    }

    public String keyColumn() {
        return keyColumn;
    }

    /** True when the file's header has the key column (matched as value columns are). */
    public boolean isLongFormat(Path file) throws IOException {
        try (Reader in = CsvSeriesReader.open(file)) {
            return hasKey(values.header(in, file.toString()));
        }
    }

    /** True when a stream's header has the key column; the stream is not closed. */
    public boolean isLongFormat(InputStream in, String source) throws IOException {
        return hasKey(values.header(new InputStreamReader(in, StandardCharsets.UTF_8), source));
    }

    private boolean hasKey(List<String> header) {
        String key = normalised(keyColumn);
        return header.stream()
                .anyMatch(h -> h.equalsIgnoreCase(keyColumn) || normalised(h).equals(key));
    }

    private static String normalised(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }

    /** The keys in order of first appearance. */
    public List<String> keys(Path file) throws IOException {
        try (Reader in = CsvSeriesReader.open(file)) {
            return values.distinctValues(in, file.toString(), keyColumn);
        }
    }

    /** The keys of a stream, in order of first appearance; the stream is not closed. */
    public List<String> keys(InputStream in, String source) throws IOException {
        return values.distinctValues(new InputStreamReader(in, StandardCharsets.UTF_8), source, keyColumn);
    }

    /** The rows of {@code key}; an unknown key is an error listing the keys present. */
    public TimeSeries read(Path file, String key) throws IOException {
        return values.where(keyColumn, key).read(file);
    }

    /** The rows of {@code key} in a stream; the stream is not closed. */
    public TimeSeries read(InputStream in, String source, String key) throws IOException {
        return values.where(keyColumn, key).read(in, source);
    }

    /** Every key's series, in order of first appearance (one pass per key: for small files). */
    public Map<String, TimeSeries> readAll(Path file) throws IOException {
        Map<String, TimeSeries> out = new LinkedHashMap<>();
        for (String key : keys(file)) {
            out.put(key, read(file, key));
        }
        return out;
    }
}
