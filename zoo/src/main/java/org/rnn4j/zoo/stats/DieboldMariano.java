package org.rnn4j.zoo.stats;

import java.util.Locale;

/**
 * The Diebold-Mariano (1995) test of equal predictive accuracy of two forecasts of the same
 * values, with the Harvey, Leybourne and Newbold (1997) small-sample correction.
 *
 * <p>With errors {@code a_t} (model) and {@code b_t} (baseline) of {@code h}-step forecasts,
 * {@code t = 1..n}, and a loss {@code L}: {@code d_t = L(a_t) - L(b_t)},
 * {@code DM = mean(d) / sqrt(V / n)} with {@code V} the {@link LongRunVariance} for horizon
 * {@code h}; HLN's statistic is {@code DM * sqrt((n + 1 - 2h + h(h - 1)/n) / n)}, compared with
 * Student's t with {@code n - 1} degrees of freedom, two-sided. A negative statistic means the
 * model's loss is lower.
 *
 * <p>Degenerate differentials: when {@code V} is 0 every {@code d_t} equals its mean. Equal losses
 * throughout ({@code mean = 0}) give statistic 0 and p = 1; a constant non-zero difference gives an
 * infinite statistic and p = 0 (the same sign every time: no sampling doubt is left).
 */
public final class DieboldMariano {

    /** The loss applied to each error. */
    public enum Loss {
        SQUARED,
        ABSOLUTE;

        double of(double error) {
            return this == SQUARED ? error * error : Math.abs(error);
        }

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param loss           the loss compared
     * @param n              the number of paired forecasts
     * @param horizon        the forecast horizon {@code h}
     * @param meanDifference {@code mean(L(a) - L(b))}, negative when the model's loss is lower
     * @param variance       the long-run variance of {@code d_t}
     * @param kernel         which estimate gave it (see {@link LongRunVariance})
     * @param statistic      Diebold and Mariano's statistic
     * @param hlnStatistic   Harvey, Leybourne and Newbold's corrected statistic
     * @param pValue         two-sided, from Student's t with {@code n - 1} degrees of freedom
     */
    public record Result(
            Loss loss,
            int n,
            int horizon,
            double meanDifference,
            double variance,
            LongRunVariance.Kernel kernel,
            double statistic,
            double hlnStatistic,
            double pValue) {}

    private DieboldMariano() {}

    /** HLN's factor {@code sqrt((n + 1 - 2h + h(h - 1)/n) / n)}. */
    public static double hlnFactor(int n, int horizon) {
        double inner = (n + 1 - 2.0 * horizon + horizon * (horizon - 1.0) / n) / n;
        if (!(inner > 0)) {
            throw new IllegalArgumentException(
                    "the Harvey-Leybourne-Newbold correction needs more forecasts for horizon " + horizon + ": n = " + n
                            + " gives a factor of sqrt(" + inner + ")");
        }
        return Math.sqrt(inner);
    }

    /** Tests {@code modelErrors} against {@code baselineErrors} (forecast minus actual, or the reverse: signs do not matter). */
    public static Result test(double[] modelErrors, double[] baselineErrors, int horizon, Loss loss) {
        int n = modelErrors.length;
        if (baselineErrors.length != n) {
            throw new IllegalArgumentException("the Diebold-Mariano test pairs forecasts of the same values: got " + n
                    + " model errors and " + baselineErrors.length + " baseline errors");
        }
        double[] d = new double[n];
        double mean = 0;
        for (int t = 0; t < n; t++) {
            if (!Double.isFinite(modelErrors[t]) || !Double.isFinite(baselineErrors[t])) {
                throw new IllegalArgumentException("forecast error " + t + " is not finite");
            }
            d[t] = loss.of(modelErrors[t]) - loss.of(baselineErrors[t]);
            mean += d[t];
        }
        mean /= Math.max(1, n);
        LongRunVariance.Estimate v = LongRunVariance.of(d, horizon);
        double factor = hlnFactor(n, horizon);
        double dm;
        double p;
        if (v.variance() > 0) {
            dm = mean / Math.sqrt(v.variance() / n);
            p = StudentT.twoSidedP(dm * factor, n - 1);
        } else if (mean == 0) {
            dm = 0;
            p = 1;
        } else {
            dm = mean > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            p = 0;
        }
        return new Result(loss, n, horizon, mean, v.variance(), v.kernel(), dm, dm * factor, p);
    }
}
