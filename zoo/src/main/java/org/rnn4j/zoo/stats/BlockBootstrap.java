package org.rnn4j.zoo.stats;

import java.util.Arrays;

/**
 * A seeded circular block bootstrap (Politis and Romano 1992) of paired forecast errors, for a
 * percentile confidence interval of Theil's U (model RMSE over baseline RMSE).
 *
 * <p>Each resample glues {@code ceil(n / L)} blocks of {@code L} consecutive pairs, each block
 * starting at a uniformly drawn index and wrapping around the end, cut to {@code n} pairs; model and
 * baseline errors stay paired, so the interval reflects their correlation. Block length rule:
 * {@code L = max(h, ceil(cbrt(n)))} (the {@code n^(1/3)} rate of Hall, Horowitz and Jing 1995 for
 * variances, at least the horizon {@code h} so that the MA({@code h - 1}) dependence of {@code h}-step
 * errors stays inside blocks), capped at {@code n}. The interval at level {@code 1 - alpha} is the
 * pair of order statistics {@code ceil(B * alpha/2)} and {@code ceil(B * (1 - alpha/2))} (1-based)
 * of the {@code B} resampled values. Draws come from {@link SplitMix64} seeded with {@code seed}, so
 * the interval is reproducible and the Python reference replays it exactly.
 */
public final class BlockBootstrap {
    /** The default number of resamples. */
    public static final int DEFAULT_RESAMPLES = 2000;

    /**
     * @param lower       the lower bound
     * @param upper       the upper bound
     * @param level       the confidence level, {@code 1 - alpha}
     * @param resamples   {@code B}
     * @param blockLength {@code L}
     * @param seed        the generator's seed
     */
    public record Interval(double lower, double upper, double level, int resamples, int blockLength, long seed) {
        public boolean contains(double value) {
            return lower <= value && value <= upper;
        }
    }

    private BlockBootstrap() {}

    /** {@code max(h, ceil(cbrt(n)))}, at most {@code n}: the smallest {@code L} with {@code L^3 >= n}, at least {@code h}. */
    public static int blockLength(int n, int horizon) {
        if (n < 1 || horizon < 1) {
            throw new IllegalArgumentException("block length needs n >= 1 and horizon >= 1, got " + n + ", " + horizon);
        }
        int cube = 1;
        while ((long) cube * cube * cube < n) {
            cube++;
        }
        return Math.min(n, Math.max(horizon, cube));
    }

    /**
     * The percentile interval of Theil's U, {@code sqrt(sum a^2 / sum b^2)}, of the paired errors.
     *
     * @param alpha the interval excludes {@code alpha/2} on each side, in (0, 1)
     */
    public static Interval theilsU(
            double[] modelErrors, double[] baselineErrors, int horizon, double alpha, int resamples, long seed) {
        int n = modelErrors.length;
        if (baselineErrors.length != n || n < 2) {
            throw new IllegalArgumentException(
                    "the bootstrap needs at least 2 paired errors, got " + n + " and " + baselineErrors.length);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }
        int block = blockLength(n, horizon);
        int blocks = (n + block - 1) / block;
        SplitMix64 random = new SplitMix64(seed);
        double[] u = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sa = 0;
            double sb = 0;
            int filled = 0;
            for (int k = 0; k < blocks; k++) {
                int start = random.nextInt(n);
                for (int j = 0; j < block && filled < n; j++, filled++) {
                    int i = (start + j) % n;
                    sa += modelErrors[i] * modelErrors[i];
                    sb += baselineErrors[i] * baselineErrors[i];
                }
            }
            u[r] = sb == 0 ? Double.POSITIVE_INFINITY : Math.sqrt(sa / sb);
        }
        Arrays.sort(u);
        double half = alpha / 2;
        return new Interval(
                u[orderIndex(resamples, half)], u[orderIndex(resamples, 1 - half)], 1 - alpha, resamples, block, seed);
    }

    private static int orderIndex(int resamples, double q) {
        int k = (int) Math.ceil(resamples * q) - 1;
        return Math.max(0, Math.min(resamples - 1, k));
    }
}
