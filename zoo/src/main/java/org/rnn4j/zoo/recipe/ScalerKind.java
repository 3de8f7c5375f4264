package org.rnn4j.zoo.recipe;

import java.util.Arrays;
import java.util.Locale;
import org.rnn4j.data.series.DoubleSeries;
import org.rnn4j.data.series.MinMaxScaler;
import org.rnn4j.data.series.Scaler;
import org.rnn4j.data.series.StandardScaler;

/** Which scaler a {@link StockRecipe} fits on the training differences. */
public enum ScalerKind {
    /** Differences are fed as they are. */
    NONE,
    /** scikit-learn's MinMaxScaler onto [0, 1]. */
    MIN_MAX,
    /** scikit-learn's StandardScaler (mean 0, population std 1). */
    STANDARD;

    /** The fitted scaler, or {@code null} for {@link #NONE}. */
    Scaler fit(double[] train) {
        return fit(DoubleSeries.of(train));
    }

    /** The scaler fitted on a training series of any size in streaming passes, or {@code null} for {@link #NONE}. */
    Scaler fit(DoubleSeries train) {
        return switch (this) {
            case NONE -> null;
            case MIN_MAX -> MinMaxScaler.fit(train);
            case STANDARD -> StandardScaler.fit(train);
        };
    }

    /** The kind of a fitted scaler ({@code null}: {@link #NONE}). */
    public static ScalerKind of(Scaler fitted) {
        if (fitted == null) {
            return NONE;
        }
        if (fitted instanceof MinMaxScaler) {
            return MIN_MAX;
        }
        if (fitted instanceof StandardScaler) {
            return STANDARD;
        }
        throw new IllegalStateException("unhandled scaler " + fitted);
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code none}, {@code min_max} or {@code standard}; unknown names list the known ones. */
    public static ScalerKind fromJson(String name) {
        for (ScalerKind k : values()) {
            if (k.jsonName().equalsIgnoreCase(name) || k.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown scaler '" + name + "'; known: "
                + Arrays.stream(values()).map(ScalerKind::jsonName).toList());
    }
}
