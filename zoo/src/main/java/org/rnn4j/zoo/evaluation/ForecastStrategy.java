package org.rnn4j.zoo.evaluation;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a model forecasts several steps ahead: {@link #RECURSIVE}ly (one step at a time, each
 * prediction fed back as the next input, the article's way) or {@link #DIRECT}ly (one output per
 * step, a {@code Dense(H)} head trained on the next {@code H} values). For one step they coincide.
 */
public enum ForecastStrategy {
    RECURSIVE,
    DIRECT;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code recursive} or {@code direct}; an unknown name lists both. */
    public static ForecastStrategy fromJson(String name) {
        for (ForecastStrategy s : values()) {
            if (s.jsonName().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown forecast strategy '" + name + "'; known: "
                + Arrays.stream(values()).map(ForecastStrategy::jsonName).toList());
    }
}
