package org.rnn4j.zoo.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.data.csv.CsvSeriesReader;
import org.rnn4j.data.csv.GapPolicy;
import org.rnn4j.data.csv.LongFormatCsv;

/**
 * How to read a CSV: which series of a long-format file ({@code symbol} in the column {@code by}),
 * missing cells, the delimiter and the date format. Saved with a model ({@code rnn4j.json}
 * {@value #FIELD}) so that evaluate and forecast read the same series again.
 *
 * @param symbol     the key of the series to read from a long-format file, or {@code null}
 * @param by         the key column of a long-format file
 * @param gaps       what to do with missing cells
 * @param delimiter  the field delimiter
 * @param dateFormat a {@link java.time.format.DateTimeFormatter} pattern, or {@code null} for the accepted forms
 */
public record ReadOptions(String symbol, String by, GapPolicy gaps, char delimiter, String dateFormat) {
    public static final String FIELD = "read";

    public ReadOptions {
        if (by == null || by.isBlank()) {
            throw new IllegalArgumentException("--by must name the key column of a long-format file, e.g. symbol");
        }
        java.util.Objects.requireNonNull(gaps, "gaps");
        if (symbol != null && symbol.isBlank()) {
            throw new IllegalArgumentException("--symbol must not be blank");
        }
        CsvSeriesReader.forColumns("x").withDelimiter(delimiter); // checks the delimiter
        if (dateFormat != null) {
            CsvSeriesReader.forColumns("x").withDateFormat(dateFormat); // checks the pattern
        }
    }

    /** Commas, the accepted date forms, refuse gaps, key column {@code symbol}, no symbol. */
    public static ReadOptions defaults() {
        return new ReadOptions(null, LongFormatCsv.DEFAULT_KEY, GapPolicy.REFUSE, ',', null);
    }

    public ReadOptions withSymbol(String s) {
        return new ReadOptions(s, by, gaps, delimiter, dateFormat);
    }

    /** A reader of {@code columns} with these settings. */
    CsvSeriesReader reader(String... columns) {
        CsvSeriesReader r =
                CsvSeriesReader.forColumns(columns).withGapPolicy(gaps).withDelimiter(delimiter);
        return dateFormat == null ? r : r.withDateFormat(dateFormat);
    }

    /** Parses {@code --delimiter}: one character, or {@code tab}, {@code \t}, {@code comma}, {@code semicolon}. */
    public static char parseDelimiter(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "tab", "\\t", "\t" -> '\t';
            case "comma" -> ',';
            case "semicolon" -> ';';
            case "pipe" -> '|';
            default -> {
                if (text.length() != 1) {
                    throw new IllegalArgumentException(
                            "--delimiter must be one character (e.g. ';') or tab, got '" + text + "'");
                }
                yield text.charAt(0);
            }
        };
    }

    /** Parses {@code --gaps}: refuse, drop or ffill. */
    public static GapPolicy parseGaps(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "refuse" -> GapPolicy.REFUSE;
            case "drop" -> GapPolicy.DROP;
            case "ffill", "forward-fill", "forward_fill" -> GapPolicy.FORWARD_FILL;
            default -> throw new IllegalArgumentException("--gaps must be refuse, drop or ffill, got '" + text + "'");
        };
    }

    static String gapsName(GapPolicy g) {
        return switch (g) {
            case REFUSE -> "refuse";
            case DROP -> "drop";
            case FORWARD_FILL -> "ffill";
        };
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (symbol != null) {
            o.put("symbol", symbol);
        }
        o.put("by", by);
        o.put("gaps", gapsName(gaps));
        o.put("delimiter", String.valueOf(delimiter));
        if (dateFormat != null) {
            o.put("dateFormat", dateFormat);
        }
        return o;
    }

    /** Reads what {@link #toJson()} wrote; absent fields take the defaults. */
    public static ReadOptions fromJson(JsonNode o) {
        if (o == null || o.isNull() || o.isMissingNode()) {
            return defaults();
        }
        if (!o.isObject()) {
            throw new SpecException("$." + FIELD, "must be an object");
        }
        o.fieldNames().forEachRemaining(f -> {
            if (!java.util.List.of("symbol", "by", "gaps", "delimiter", "dateFormat")
                    .contains(f)) {
                throw new SpecException("$." + FIELD + "." + f, "unknown field '" + f + "'");
            }
        });
        try {
            return new ReadOptions(
                    o.hasNonNull("symbol") ? o.get("symbol").asText() : null,
                    o.path("by").asText(LongFormatCsv.DEFAULT_KEY),
                    parseGaps(o.path("gaps").asText("refuse")),
                    parseDelimiter(o.path("delimiter").asText(",")),
                    o.hasNonNull("dateFormat") ? o.get("dateFormat").asText() : null);
        } catch (IllegalArgumentException e) {
            throw new SpecException("$." + FIELD, e.getMessage(), e);
        }
    }
}
