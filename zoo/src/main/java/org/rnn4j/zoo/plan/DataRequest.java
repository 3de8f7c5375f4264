package org.rnn4j.zoo.plan;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.rnn4j.data.series.DifferenceKind;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.zoo.evaluation.ForecastStrategy;

/**
 * What a user asked of the data, each field {@code null} when not given (then the model's own
 * setting, a spec's data block or the default applies).
 *
 * @param data         a shipped dataset's name or a file
 * @param target       the column to forecast
 * @param columns      the input columns, the target among them
 * @param read         how to read a CSV (never {@code null})
 * @param differencing {@code none}, {@code absolute} or {@code percent}
 * @param order        the differencing order, >= 1
 * @param horizon      steps ahead, >= 1
 * @param strategy     how several steps are forecast
 * @param maxChars     text models: the first N characters (0 = all)
 */
public record DataRequest(
        String data,
        String target,
        List<String> columns,
        ReadOptions read,
        String differencing,
        Integer order,
        Integer horizon,
        ForecastStrategy strategy,
        Integer maxChars) {

    public DataRequest {
        Objects.requireNonNull(read, "read");
        columns = columns == null ? null : List.copyOf(columns);
        if (columns != null && columns.isEmpty()) {
            throw new IllegalArgumentException("--columns must name at least one column");
        }
        if (order != null && order < 1) {
            throw new IllegalArgumentException("--order must be >= 1, got " + order);
        }
        if (horizon != null && horizon < 1) {
            throw new IllegalArgumentException("--horizon must be >= 1, got " + horizon);
        }
        if (maxChars != null && maxChars < 0) {
            throw new IllegalArgumentException("--max-chars must be >= 0 (0 = the whole text), got " + maxChars);
        }
        if (differencing != null) {
            parseDifferencing(differencing, order);
        }
        if ("none".equalsIgnoreCase(differencing) && order != null) {
            throw new IllegalArgumentException("--order applies to absolute or percent differencing, not to none");
        }
    }

    /** Nothing asked: every setting from the model. */
    public static DataRequest none() {
        return new DataRequest(null, null, null, ReadOptions.defaults(), null, null, null, null, null);
    }

    public DataRequest withData(String d) {
        return new DataRequest(d, target, columns, read, differencing, order, horizon, strategy, maxChars);
    }

    /** The same request with these columns and target ({@code null}: not given). */
    public DataRequest withColumns(List<String> c, String t) {
        return new DataRequest(data, t, c, read, differencing, order, horizon, strategy, maxChars);
    }

    /** True when any series-only option was given. */
    boolean hasSeriesOptions() {
        return target != null
                || columns != null
                || read.symbol() != null
                || differencing != null
                || order != null
                || horizon != null
                || strategy != null;
    }

    /**
     * {@code none} (no differencing, {@code null}), {@code absolute} or {@code percent} of {@code order}
     * (default 1); an unknown name lists the known ones.
     */
    public static Differencing parseDifferencing(String name, Integer order) {
        int k = order == null ? 1 : order;
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> null;
            case "absolute" -> new Differencing(DifferenceKind.ABSOLUTE, k);
            case "percent" -> new Differencing(DifferenceKind.PERCENT, k);
            default ->
                throw new IllegalArgumentException(
                        "--differencing must be none, absolute or percent, got '" + name + "'");
        };
    }
}
