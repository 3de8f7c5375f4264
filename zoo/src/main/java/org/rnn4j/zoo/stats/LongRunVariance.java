package org.rnn4j.zoo.stats;

/**
 * The long-run variance of a loss-differential series {@code d[0..n)}, as the Diebold-Mariano test
 * needs it for forecasts {@code h} steps ahead: {@code h}-step errors of optimal forecasts are at most
 * MA({@code h - 1}), so autocovariances up to lag {@code h - 1} enter.
 *
 * <p>With the sample autocovariances {@code g_k = (1/n) sum_{t=k}^{n-1} (d_t - mean)(d_{t-k} - mean)}:
 * <ul>
 *   <li>{@link Kernel#RECTANGULAR} (Diebold and Mariano 1995, Harvey, Leybourne and Newbold 1997):
 *   {@code g_0 + 2 sum_{k=1}^{h-1} g_k};</li>
 *   <li>{@link Kernel#BARTLETT} (Newey and West 1987, truncation lag {@code h - 1}):
 *   {@code g_0 + 2 sum_{k=1}^{h-1} (1 - k/h) g_k}, never negative.</li>
 * </ul>
 * The rectangular estimate is used; when it is not positive (possible for {@code h >= 2}, when
 * negative autocovariances outweigh {@code g_0}) the Bartlett estimate replaces it, and the
 * result says so. For {@code h = 1} both are {@code g_0}.
 */
public final class LongRunVariance {

    /** The weighting of the autocovariances. */
    public enum Kernel {
        RECTANGULAR,
        BARTLETT;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param variance the long-run variance of one {@code d_t} (divide by {@code n} for the mean's)
     * @param kernel   which weighting gave it
     */
    public record Estimate(double variance, Kernel kernel) {}

    private LongRunVariance() {}

    /** The estimate for horizon {@code h >= 1}, with the fallback described above. */
    public static Estimate of(double[] d, int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("the horizon must be >= 1, got " + horizon);
        }
        int n = d.length;
        if (n < 2) {
            throw new IllegalArgumentException("a long-run variance needs at least 2 values, got " + n);
        }
        if (horizon > n - 1) {
            throw new IllegalArgumentException("a long-run variance for horizon " + horizon + " needs more than "
                    + horizon + " values (autocovariances up to lag " + (horizon - 1) + "), got " + n);
        }
        double mean = 0;
        for (double v : d) {
            mean += v;
        }
        mean /= n;
        double[] gamma = new double[horizon];
        for (int k = 0; k < horizon; k++) {
            double s = 0;
            for (int t = k; t < n; t++) {
                s += (d[t] - mean) * (d[t - k] - mean);
            }
            gamma[k] = s / n;
        }
        double rectangular = gamma[0];
        double bartlett = gamma[0];
        for (int k = 1; k < horizon; k++) {
            rectangular += 2 * gamma[k];
            bartlett += 2 * (1 - (double) k / horizon) * gamma[k];
        }
        return rectangular > 0
                ? new Estimate(rectangular, Kernel.RECTANGULAR)
                : new Estimate(Math.max(0, bartlett), Kernel.BARTLETT);
    }
}
