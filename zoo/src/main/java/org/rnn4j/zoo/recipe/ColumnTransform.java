package org.rnn4j.zoo.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.DoubleSeries;
import org.rnn4j.data.series.Scaler;

/**
 * How one column of a series becomes one model input feature: differenced ({@code null}: used as
 * it is) and scaled ({@code null}: not scaled), with a scaler fitted on the training rows only.
 * Row {@code r} of the transformed column exists from row {@link #order()} on.
 *
 * @param column      the column's name as read
 * @param differencing absolute or percent differences of some order, or {@code null} for none
 * @param scaler      the fitted scaler, or {@code null} for none
 */
public record ColumnTransform(String column, Differencing differencing, Scaler scaler) {

    public ColumnTransform {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("a column transform needs a column name");
        }
    }

    /** Rows lost at the start to differencing: 0 without, else the differencing's order. */
    public int order() {
        return differencing == null ? 0 : differencing.order();
    }

    /** The column's values at rows {@code [order, n)}: differenced, not scaled. */
    double[] difference(double[] values) {
        return differencing == null ? values.clone() : differencing.apply(values);
    }

    double[] scale(double[] values) {
        return scaler == null ? values.clone() : scaler.transform(values);
    }

    /** As {@link #difference(double[])}, computed as the values are read (the same arithmetic). */
    DoubleSeries difference(DoubleSeries values) {
        return differencing == null ? values : differencing.apply(values);
    }

    /** As {@link #scale(double[])}, applied as the values are read. */
    DoubleSeries scale(DoubleSeries values) {
        return scaler == null ? values : values.map(scaler::transform);
    }

    /** Model outputs for this column back to (unscaled) differences or values. */
    public double[] unscale(double[] scaled) {
        return scaler == null ? scaled.clone() : scaler.inverse(scaled);
    }

    /**
     * The values after the last known one from predicted differences (or predicted values when
     * not differenced), rebuilt recursively from {@code known}'s last {@link #order()} values.
     */
    public double[] rebuild(double[] known, int knownEnd, double[] unscaled) {
        if (differencing == null) {
            return unscaled.clone();
        }
        int from = knownEnd - order();
        if (from < 0) {
            throw new IllegalArgumentException("rebuilding " + column + " needs " + order()
                    + " known values before the forecast, got " + knownEnd);
        }
        return differencing.forecast(java.util.Arrays.copyOfRange(known, from, knownEnd), unscaled);
    }

    ColumnTransform withScaler(Scaler s) {
        return new ColumnTransform(column, differencing, s);
    }

    ObjectNode toJson() {
        ObjectNode o = Preprocessing.MAPPER.createObjectNode();
        o.put("column", column);
        if (differencing == null) {
            o.putNull("differencing");
        } else {
            o.set("differencing", Preprocessing.MAPPER.valueToTree(differencing));
        }
        if (scaler == null) {
            o.putNull("scaler");
        } else {
            o.set("scaler", Preprocessing.MAPPER.valueToTree(scaler));
        }
        return o;
    }

    static ColumnTransform fromJson(JsonNode o, String path) {
        Preprocessing.allowOnlyAt(o, path, "column", "differencing", "scaler");
        String column = Preprocessing.requireText(o, path, "column");
        Differencing d =
                o.path("differencing").isNull() || o.path("differencing").isMissingNode()
                        ? null
                        : Preprocessing.convert(o, path, "differencing", Differencing.class);
        Scaler s = o.path("scaler").isNull() || o.path("scaler").isMissingNode()
                ? null
                : Preprocessing.convert(o, path, "scaler", Scaler.class);
        return new ColumnTransform(Objects.requireNonNull(column), d, s);
    }
}
