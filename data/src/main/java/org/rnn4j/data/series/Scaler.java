package org.rnn4j.data.series;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A fitted, invertible affine scaling of one column. Fit it on the training split only, so no
 * information from validation or test data leaks into training. Implementations are records
 * holding the fitted numbers; Jackson writes them with a {@code "type"} name from a closed list
 * ({@code "min_max"}, {@code "standard"}), so they are saved with a model and read back exactly.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MinMaxScaler.class, name = "min_max"),
    @JsonSubTypes.Type(value = StandardScaler.class, name = "standard")
})
public sealed interface Scaler permits MinMaxScaler, StandardScaler {

    /** Scales one value. */
    double transform(double value);

    /** Undoes {@link #transform(double)}: {@code inverse(transform(v)) == v} up to rounding. */
    double inverse(double scaled);

    /** Scales every value; returns a new array of the same length. */
    default double[] transform(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = transform(values[i]);
        }
        return out;
    }

    /** Undoes {@link #transform(double[])}; returns a new array of the same length. */
    default double[] inverse(double[] scaled) {
        double[] out = new double[scaled.length];
        for (int i = 0; i < scaled.length; i++) {
            out[i] = inverse(scaled[i]);
        }
        return out;
    }
}
