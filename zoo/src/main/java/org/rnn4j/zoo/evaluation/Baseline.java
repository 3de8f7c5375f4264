package org.rnn4j.zoo.evaluation;

import java.util.Locale;

/**
 * The simple forecasts a model is judged against, each computed from the true prices alone: for an
 * origin {@code o} (the last known price) and a step {@code h >= 1} ahead,
 * <ul>
 *   <li>{@link #NAIVE}: {@code y[o]} (random walk; Theil's U is relative to it);</li>
 *   <li>{@link #DRIFT}: {@code y[o] + h (y[o] - y[0]) / o}, a random walk with the average change
 *   of all history up to the origin (Hyndman and Athanasopoulos, FPP 5.2);</li>
 *   <li>{@link #SEASONAL_NAIVE}: {@code y[o + h - m ceil(h/m)]}, the value one season {@code m}
 *   back, when a season is given;</li>
 *   <li>{@link #MEAN}: the mean of the training rows' prices, the same for every origin.</li>
 * </ul>
 */
public enum Baseline {
    NAIVE("naive", "the naive last-value forecast"),
    DRIFT("drift", "the random walk with drift"),
    SEASONAL_NAIVE("seasonal naive", "the seasonal naive forecast"),
    MEAN("training mean", "the training mean");

    private final String label;
    private final String description;

    Baseline(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** A short name for tables. */
    public String label() {
        return label;
    }

    /** The name in a sentence ("the naive last-value forecast"). */
    public String description() {
        return description;
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    /**
     * The forecasts of {@code prices[origins[i] + step]}.
     *
     * @param trainFrom the first training row (for {@link #MEAN})
     * @param trainEnd  the training split's end (for {@link #MEAN})
     * @param season   the season length (for {@link #SEASONAL_NAIVE})
     */
    public double[] forecasts(double[] prices, int[] origins, int step, int trainFrom, int trainEnd, int season) {
        if (step < 1) {
            throw new IllegalArgumentException("step must be >= 1, got " + step);
        }
        double[] out = new double[origins.length];
        double mean = 0;
        if (this == MEAN) {
            if (trainFrom < 0 || trainEnd <= trainFrom || trainEnd > prices.length) {
                throw new IllegalArgumentException("the training mean needs training rows within the " + prices.length
                        + " prices, got [" + trainFrom + ", " + trainEnd + ")");
            }
            for (int i = trainFrom; i < trainEnd; i++) {
                mean += prices[i];
            }
            mean /= trainEnd - trainFrom;
        }
        for (int i = 0; i < origins.length; i++) {
            int o = origins[i];
            if (o < 0 || o >= prices.length) {
                throw new IllegalArgumentException("origin " + o + " lies outside the " + prices.length + " prices");
            }
            out[i] = switch (this) {
                case NAIVE -> prices[o];
                case DRIFT -> o == 0 ? prices[0] : prices[o] + step * (prices[o] - prices[0]) / o;
                case SEASONAL_NAIVE -> {
                    if (season < 2) {
                        throw new IllegalArgumentException("the seasonal naive forecast needs a season >= 2");
                    }
                    int back = o + step - season * ((step + season - 1) / season);
                    if (back < 0) {
                        throw new IllegalArgumentException("the seasonal naive forecast with season " + season
                                + " needs " + season + " prices before origin " + o + "; use a shorter --season");
                    }
                    yield prices[back];
                }
                case MEAN -> mean;
            };
        }
        return out;
    }
}
