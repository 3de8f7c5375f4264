package org.rnn4j.cli;

import org.rnn4j.api.compile.FitOptions;

/**
 * The bounds of every numeric option, one table per command group, checked before any file is
 * read or an engine starts. A value outside is refused with the bounds in the message: the
 * upper bounds stop an option from asking for more memory or time than any real run needs
 * ({@code generate --length 1000000000} used to allocate the whole output and die). Seeds are
 * any 64-bit integer and have no bound; {@code --validation-split} is a fraction in [0, 1).
 */
final class OptionBounds {
    /** Training: train, compare, fit (the same limits as a spec's fit settings). */
    static final int MAX_EPOCHS = FitOptions.MAX_EPOCHS;

    static final int MAX_BATCH_SIZE = FitOptions.MAX_BATCH_SIZE;
    /** 100 million characters: 400 MB of ids before any window is cut. */
    static final int MAX_CHARS = 100_000_000;

    /** Sampling: generate. Each character is one forward pass. */
    static final int MAX_LENGTH = 100_000;

    static final double MAX_TEMPERATURE = 100;

    /** Forecasting: forecast, and the horizon of train. A recursive forecast beyond a few steps says nothing anyway. */
    static final int MAX_STEPS = 10_000;

    /** Monte-Carlo dropout samples of forecast: each is a forward pass of every step. */
    static final int MAX_SAMPLES = 10_000;

    /** Series shaping: differencing order (each order shortens the series by one row). */
    static final int MAX_ORDER = 10;

    /** Evaluation: a season of at most 100,000 rows; backtest folds. */
    static final int MAX_SEASON = 100_000;

    static final int MAX_FOLDS = 10_000;

    private OptionBounds() {}

    static void training(Integer epochs, Integer batchSize, Integer maxChars) {
        check("--epochs", epochs, 1, MAX_EPOCHS);
        check("--batch-size", batchSize, 1, MAX_BATCH_SIZE);
        check("--max-chars", maxChars, 0, MAX_CHARS);
    }

    static void fraction(String option, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(option + " must be a fraction in [0, 1), got " + value);
        }
    }

    static void sampling(int length, double temperature) {
        check("--length", length, 1, MAX_LENGTH);
        if (!(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
            throw new IllegalArgumentException(
                    "--temperature must be between 0 and " + (int) MAX_TEMPERATURE + ", got " + temperature);
        }
    }

    static void forecast(int steps, int samples) {
        check("--steps", steps, 1, MAX_STEPS);
        check("--samples", samples, 2, MAX_SAMPLES);
    }

    static void shape(Integer order, Integer horizon) {
        check("--order", order, 1, MAX_ORDER);
        check("--horizon", horizon, 1, MAX_STEPS);
    }

    /** {@code --season} 0 means none; 1 is refused by the evaluation itself (a season of one row is no season). */
    static void evaluation(Integer season) {
        check("--season", season, 0, MAX_SEASON);
    }

    static void backtest(int folds, Integer epochs) {
        check("--folds", folds, 1, MAX_FOLDS);
        check("--epochs", epochs, 1, MAX_EPOCHS);
    }

    /** {@code value} null means the option was not given. */
    static void check(String option, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
