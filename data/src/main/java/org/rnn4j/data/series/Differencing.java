package org.rnn4j.data.series;

import java.util.Arrays;
import java.util.Objects;

/**
 * Differencing of a price series and its exact inverse, in {@code double}. Order {@code k} applies
 * one step of {@link DifferenceKind} {@code k} times, so {@code apply} maps {@code [n]} prices to
 * {@code [n - k]} differences, and difference {@code j} belongs to price {@code j + k}
 * ({@link #priceIndex(int)}).
 *
 * <p>Two ways back from predicted differences:
 * <ul>
 *   <li>{@link #oneStep}: each prediction is applied to the <em>true</em> prices before it, as when
 *   a model predicts one day ahead every day;</li>
 *   <li>{@link #forecast}: each prediction is applied to the previous <em>reconstructed</em> price,
 *   as when a model's outputs are fed back for a multi-step forecast. {@link #invert} is the same
 *   recursion started from the first {@code k} prices, the exact inverse of {@link #apply}.</li>
 * </ul>
 *
 * <p>Percent differencing needs prices &gt; 0. Higher orders take the percent change of the
 * lower-order changes, which may be negative but must not be zero (division by zero).
 *
 * <p>A record so it is saved as JSON with a model: {@code {"kind": "percent", "order": 1}}.
 */
public record Differencing(DifferenceKind kind, int order) {
    public Differencing {
        Objects.requireNonNull(kind, "differencing.kind must be set (absolute or percent)");
        if (order < 1) {
            throw new IllegalArgumentException("differencing.order must be >= 1, got " + order);
        }
    }

    /** First-order absolute differencing. */
    public static Differencing absolute() {
        return new Differencing(DifferenceKind.ABSOLUTE, 1);
    }

    /** First-order percent differencing. */
    public static Differencing percent() {
        return new Differencing(DifferenceKind.PERCENT, 1);
    }

    /** The index of the price that difference {@code differenceIndex} (an index into {@link #apply}'s output) leads to. */
    public int priceIndex(int differenceIndex) {
        return differenceIndex + order;
    }

    /**
     * Differences of {@code prices}: {@code [n] -> [n - order]}.
     *
     * @throws IllegalArgumentException when the series is too short, holds a non-finite value, or
     *                                  (percent) a price is not &gt; 0 or a lower-order change is 0
     */
    public double[] apply(double[] prices) {
        requireFinite(prices, "price");
        if (prices.length <= order) {
            throw new IllegalArgumentException("differencing of order " + order + " needs more than " + order
                    + " values, got " + prices.length + "; use a longer series or a lower order");
        }
        double[] level = prices;
        for (int pass = 1; pass <= order; pass++) {
            checkDenominators(level, 0, level.length - 1, pass);
            double[] next = new double[level.length - 1];
            for (int t = 1; t < level.length; t++) {
                next[t - 1] = kind.difference(level[t - 1], level[t]);
            }
            level = next;
        }
        return level;
    }

    /**
     * The differences of {@code prices} as a lazy view: {@code [n] -> [n - order]}, value {@code j}
     * computed from prices {@code [j, j + order]} when read, with exactly the arithmetic of
     * {@link #apply}, so a series larger than memory is differenced without a copy. The checks of
     * {@link #apply} happen on the values read, naming the price's index.
     */
    public DoubleSeries apply(DoubleSeries prices) {
        if (prices.length() <= order) {
            throw new IllegalArgumentException("differencing of order " + order + " needs more than " + order
                    + " values, got " + prices.length() + "; use a longer series or a lower order");
        }
        return new DoubleSeries() {
            @Override
            public int length() {
                return prices.length() - order;
            }

            @Override
            public void read(int from, double[] dst, int offset, int count) {
                DoubleSeries.checkRange(from, count, length());
                double[] level = new double[count + order];
                prices.read(from, level, 0, level.length);
                for (int t = 0; t < level.length; t++) {
                    if (!Double.isFinite(level[t])) {
                        throw new IllegalArgumentException("price at index " + (from + t) + " is " + level[t]
                                + "; differencing needs finite values (fill or drop gaps first)");
                    }
                }
                for (int pass = 1, len = level.length; pass <= order; pass++, len--) {
                    checkDenominators(level, from, len - 1, pass);
                    // In place: value t - 1 of the next level needs values t - 1 and t of this one, both still unread.
                    for (int t = 1; t < len; t++) {
                        level[t - 1] = kind.difference(level[t - 1], level[t]);
                    }
                }
                System.arraycopy(level, 0, dst, offset, count);
            }
        };
    }

    /**
     * The exact inverse of {@link #apply}: {@code invert(prices[0..order), apply(prices))} rebuilds
     * {@code prices} up to rounding.
     *
     * @param head        the first {@code order} prices, {@code [order]}
     * @param differences {@code [m]}
     * @return {@code [order + m]}: the head followed by the rebuilt prices
     */
    public double[] invert(double[] head, double[] differences) {
        if (head.length != order) {
            throw new IllegalArgumentException("inverting differencing of order " + order + " needs exactly " + order
                    + " head values, got " + head.length);
        }
        double[] rebuilt = forecast(head, differences);
        double[] out = Arrays.copyOf(head, order + rebuilt.length);
        System.arraycopy(rebuilt, 0, out, order, rebuilt.length);
        return out;
    }

    /**
     * Multi-step recursive reconstruction: prediction {@code i} is applied to the price rebuilt for
     * step {@code i - 1} (the first one to the last known price), so errors compound as in a real
     * forecast.
     *
     * @param knownPrices the price history, at least {@code order} values; only the last {@code order} are used
     * @param predicted   predicted differences for the steps right after the history, {@code [h]}
     * @return the forecast prices, {@code [h]}
     */
    public double[] forecast(double[] knownPrices, double[] predicted) {
        requireFinite(predicted, "predicted difference");
        double[] state = lastLevels(knownPrices, knownPrices.length);
        double[] out = new double[predicted.length];
        for (int i = 0; i < predicted.length; i++) {
            out[i] = step(state, predicted[i]);
        }
        return out;
    }

    /**
     * One-step reconstruction: prediction {@code i} is the difference leading to price
     * {@code firstPriceIndex + i}, and is applied to the true prices before that index.
     *
     * @param truePrices      the actual prices; indices up to {@code firstPriceIndex + h - 2} must exist
     * @param firstPriceIndex the price index the first prediction leads to, at least {@code order}
     * @param predicted       {@code [h]}
     * @return the reconstructed prices at {@code firstPriceIndex .. firstPriceIndex + h - 1}, {@code [h]}
     */
    public double[] oneStep(double[] truePrices, int firstPriceIndex, double[] predicted) {
        requireFinite(predicted, "predicted difference");
        if (firstPriceIndex < order) {
            throw new IllegalArgumentException("one-step reconstruction with order " + order + " needs " + order
                    + " true prices before the first prediction, so firstPriceIndex must be >= " + order + ", got "
                    + firstPriceIndex);
        }
        int lastNeeded = firstPriceIndex + predicted.length - 2;
        if (predicted.length > 0 && lastNeeded >= truePrices.length) {
            throw new IllegalArgumentException("one-step reconstruction of " + predicted.length
                    + " predictions from price index " + firstPriceIndex + " needs true prices up to index "
                    + lastNeeded + ", but only " + truePrices.length + " were given; pass fewer predictions or "
                    + "use forecast(...) for steps beyond the known prices");
        }
        double[] out = new double[predicted.length];
        for (int i = 0; i < predicted.length; i++) {
            double[] state = lastLevels(truePrices, firstPriceIndex + i);
            out[i] = step(state, predicted[i]);
        }
        return out;
    }

    /**
     * The last value of each lower-order level at the price just before {@code end}:
     * {@code state[j]} is the order-{@code j} difference ending at price {@code end - 1}
     * (order 0 = the price itself). Built from prices {@code [end - order, end)}.
     */
    private double[] lastLevels(double[] prices, int end) {
        if (end < order) {
            throw new IllegalArgumentException("reconstruction with differencing of order " + order + " needs the last "
                    + order + " known prices, got " + end);
        }
        double[] level = Arrays.copyOfRange(prices, end - order, end);
        for (int t = 0; t < level.length; t++) {
            if (!Double.isFinite(level[t])) {
                throw new IllegalArgumentException("known price at index " + (end - order + t) + " is " + level[t]
                        + "; differencing needs finite values (fill or drop gaps first)");
            }
        }
        double[] state = new double[order];
        for (int j = 0; j < order; j++) {
            state[j] = level[level.length - 1];
            if (j == order - 1) {
                break;
            }
            checkDenominators(level, end - order, level.length - 1, j + 1);
            double[] next = new double[level.length - 1];
            for (int t = 1; t < level.length; t++) {
                next[t - 1] = kind.difference(level[t - 1], level[t]);
            }
            level = next;
        }
        if (kind == DifferenceKind.PERCENT && state[0] <= 0) {
            throw new IllegalArgumentException("percent differencing needs prices > 0, but the last known price (index "
                    + (end - 1) + ") is " + state[0] + "; use DifferenceKind.ABSOLUTE for series that reach zero");
        }
        return state;
    }

    /** Applies one predicted top-order difference, updates {@code state} in place, returns the new price. */
    private double step(double[] state, double topDifference) {
        double value = topDifference;
        for (int j = order - 1; j >= 0; j--) {
            value = kind.undifference(state[j], value);
            state[j] = value;
        }
        return value;
    }

    /**
     * Percent differencing divides by each of the first {@code count} values of {@code level}: pass 1
     * (prices) needs them &gt; 0, later passes need them non-zero.
     */
    private void checkDenominators(double[] level, int indexOffset, int count, int pass) {
        if (kind != DifferenceKind.PERCENT) {
            return;
        }
        for (int t = 0; t < count; t++) {
            if (pass == 1 && level[t] <= 0) {
                throw new IllegalArgumentException("percent differencing needs prices > 0, but the price at index "
                        + (indexOffset + t) + " is " + level[t]
                        + "; use DifferenceKind.ABSOLUTE for series that reach zero or go negative");
            }
            if (pass > 1 && level[t] == 0) {
                throw new IllegalArgumentException("percent differencing of order " + pass + " divides by the order-"
                        + (pass - 1) + " difference at index " + (indexOffset + t)
                        + ", which is 0 (no change between two steps); use a lower order or DifferenceKind.ABSOLUTE");
            }
        }
    }

    private static void requireFinite(double[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " at index " + i + " is " + values[i]
                        + "; differencing needs finite values (fill or drop gaps first)");
            }
        }
    }
}
