package org.rnn4j.data.series;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How one step of differencing relates a value to the one before it.
 * <ul>
 *   <li>{@link #ABSOLUTE}: {@code d[t] = x[t] - x[t-1]}, inverse {@code x[t] = x[t-1] + d[t]}.</li>
 *   <li>{@link #PERCENT}: the relative change as a fraction (0.01 means +1 %), as pandas
 *   {@code pct_change}: {@code d[t] = (x[t] - x[t-1]) / x[t-1]}, inverse {@code x[t] = x[t-1] * (1 + d[t])}.</li>
 * </ul>
 */
public enum DifferenceKind {
    @JsonProperty("absolute")
    ABSOLUTE {
        @Override
        double difference(double previous, double current) {
            return current - previous;
        }

        @Override
        double undifference(double previous, double difference) {
            return previous + difference;
        }
    },
    @JsonProperty("percent")
    PERCENT {
        @Override
        double difference(double previous, double current) {
            return (current - previous) / previous;
        }

        @Override
        double undifference(double previous, double difference) {
            return previous * (1 + difference);
        }
    };

    abstract double difference(double previous, double current);

    abstract double undifference(double previous, double difference);
}
