package org.rnn4j.api.compile;

import java.util.Arrays;
import java.util.Locale;

/**
 * Metrics reported per epoch, accumulated over samples as Keras does. {@code accuracy} follows the
 * loss: sparse categorical, categorical (argmax) or binary (threshold 0.5).
 */
public enum Metric {
    MAE("mae", "mean_absolute_error"),
    MSE("mse", "mean_squared_error"),
    RMSE("rmse", "root_mean_squared_error"),
    ACCURACY("accuracy", "acc");

    private final String jsonName;
    private final String alias;

    Metric(String jsonName, String alias) {
        this.jsonName = jsonName;
        this.alias = alias;
    }

    public String jsonName() {
        return jsonName;
    }

    /** Keras's metric direction: whether a larger value is better (accuracy) rather than worse (errors). */
    public boolean higherIsBetter() {
        return this == ACCURACY;
    }

    public static Metric fromJson(String name) {
        String n = name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        for (Metric m : values()) {
            if (m.jsonName.equals(n) || m.alias.equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + name + "'; known: "
                + Arrays.stream(values()).map(Metric::jsonName).toList());
    }
}
