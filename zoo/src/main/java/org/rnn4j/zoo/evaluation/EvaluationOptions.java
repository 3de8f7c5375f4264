package org.rnn4j.zoo.evaluation;

/**
 * How a forecast evaluation judges: the test level, the bootstrap's size and seed, and a season
 * for the seasonal naive baseline.
 *
 * @param alpha     the level of the Diebold-Mariano test and {@code 1 -} the bootstrap interval's
 *                  confidence, in (0, 0.5]; 0.05 by default
 * @param resamples bootstrap resamples, >= 100
 * @param seed      the bootstrap's seed
 * @param season    the season length in rows for the seasonal naive baseline (e.g. 12 for monthly
 *                  data), 0 for none
 */
public record EvaluationOptions(double alpha, int resamples, long seed, int season) {
    public static final double DEFAULT_ALPHA = 0.05;

    public EvaluationOptions {
        if (!(alpha > 0 && alpha <= 0.5)) {
            throw new IllegalArgumentException("alpha (the test level) must be in (0, 0.5], e.g. 0.05; got " + alpha);
        }
        if (resamples < 100) {
            throw new IllegalArgumentException("bootstrap resamples must be >= 100, got " + resamples);
        }
        if (season < 0 || season == 1) {
            throw new IllegalArgumentException(
                    "season must be 0 (none) or >= 2 rows (a season of 1 is the naive forecast), got " + season);
        }
    }

    /** 5 %, 2000 resamples, seed 42, no season. */
    public static EvaluationOptions defaults() {
        return new EvaluationOptions(DEFAULT_ALPHA, org.rnn4j.zoo.stats.BlockBootstrap.DEFAULT_RESAMPLES, 42, 0);
    }

    public EvaluationOptions withAlpha(double a) {
        return new EvaluationOptions(a, resamples, seed, season);
    }

    public EvaluationOptions withSeason(int s) {
        return new EvaluationOptions(alpha, resamples, seed, s);
    }

    public EvaluationOptions withSeed(long s) {
        return new EvaluationOptions(alpha, resamples, s, season);
    }
}
