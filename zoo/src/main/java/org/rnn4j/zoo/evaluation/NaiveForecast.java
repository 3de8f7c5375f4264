package org.rnn4j.zoo.evaluation;

import java.util.Arrays;

/**
 * The naive (random-walk) forecast every price model must beat: tomorrow's price is today's.
 * Computed from the prices alone, never from a model or its preprocessing.
 */
public final class NaiveForecast {
    private NaiveForecast() {}

    /** The naive forecasts of prices {@code [from, prices.length)}: {@code prices[i - 1]} for each. */
    public static double[] lastValue(double[] prices, int from) {
        if (from < 1 || from >= prices.length) {
            throw new IllegalArgumentException(
                    "the naive forecast needs a known price before the first forecast: from must be in [1, "
                            + prices.length + "), got " + from);
        }
        return Arrays.copyOfRange(prices, from - 1, prices.length - 1);
    }

    /** Scores the naive forecast of prices {@code [from, prices.length)}. */
    public static ForecastMetrics score(double[] prices, int from) {
        double[] naive = lastValue(prices, from);
        double[] actual = Arrays.copyOfRange(prices, from, prices.length);
        return ForecastMetrics.of(actual, naive, naive);
    }
}
