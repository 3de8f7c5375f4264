package org.rnn4j.zoo.recipe;

/**
 * Where a series is cut into training, validation and test rows: train {@code [trainFrom, trainEnd)},
 * validation {@code [trainEnd, validationEnd)}, test {@code [validationEnd, testEnd)}. A
 * chronological split gives {@code trainFrom = 0} and {@code testEnd = n}; a backtest fold moves
 * them along the series.
 */
public record Cut(int trainFrom, int trainEnd, int validationEnd, int testEnd) {
    public Cut {
        if (!(0 <= trainFrom && trainFrom < trainEnd && trainEnd <= validationEnd && validationEnd <= testEnd)) {
            throw new IllegalArgumentException("a cut needs 0 <= trainFrom < trainEnd <= validationEnd <= testEnd, got "
                    + trainFrom + ", " + trainEnd + ", " + validationEnd + ", " + testEnd);
        }
    }

    /** The chronological split of {@code n} rows by {@code split}'s fractions. */
    public static Cut of(org.rnn4j.data.series.ChronologicalSplit split, int n) {
        org.rnn4j.data.series.SplitBoundaries b = split.boundaries(n);
        return new Cut(0, b.trainEnd(), b.validationEnd(), n);
    }
}
