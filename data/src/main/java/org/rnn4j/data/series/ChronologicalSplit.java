package org.rnn4j.data.series;

/**
 * Fractions for a chronological train / validation / test split: the first {@code train} share of
 * the rows trains, the next {@code validation} share validates, the rest tests. Rows are never
 * shuffled across the boundaries, so no future value leaks into training.
 *
 * @param train      in {@code (0, 1]}
 * @param validation in {@code [0, 1)}
 * @param test       in {@code [0, 1)}; the three sum to 1
 */
public record ChronologicalSplit(double train, double validation, double test) {
    private static final double SUM_TOLERANCE = 1e-9;

    public ChronologicalSplit {
        if (!(train > 0 && train <= 1)) {
            throw new IllegalArgumentException("split.train must be in (0, 1], got " + train);
        }
        if (!(validation >= 0 && validation < 1)) {
            throw new IllegalArgumentException("split.validation must be in [0, 1), got " + validation);
        }
        if (!(test >= 0 && test < 1)) {
            throw new IllegalArgumentException("split.test must be in [0, 1), got " + test);
        }
        double sum = train + validation + test;
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException("split fractions must sum to 1, got train=" + train + " + validation="
                    + validation + " + test=" + test + " = " + sum);
        }
    }

    /** The row boundaries for a series of {@code length} rows; the training part must not be empty. */
    public SplitBoundaries boundaries(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("split length must be >= 0, got " + length);
        }
        // The tolerance keeps 0.7 + 0.2 (= 0.8999999999999999) from losing a row to floating point.
        int trainEnd = (int) Math.floor(length * train + SUM_TOLERANCE);
        int validationEnd =
                test == 0 ? length : Math.min(length, (int) Math.floor(length * (train + validation) + SUM_TOLERANCE));
        if (trainEnd == 0) {
            throw new IllegalArgumentException("the training split of " + length + " rows at fraction " + train
                    + " is empty; use more data or a larger train fraction");
        }
        return new SplitBoundaries(length, trainEnd, validationEnd);
    }
}
