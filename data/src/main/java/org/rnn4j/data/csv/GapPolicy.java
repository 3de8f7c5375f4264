package org.rnn4j.data.csv;

/**
 * What to do with a missing cell (empty, {@code null} or {@code NaN}) in a selected value column.
 * Only the columns being read are checked.
 */
public enum GapPolicy {
    /** The default: a missing cell is an error naming its line and column. */
    REFUSE,
    /** Rows with a missing cell in any selected column are left out. */
    DROP,
    /**
     * A missing cell takes the previous row's value in the same column (after sorting, if asked);
     * a missing cell in the first row is still an error, as nothing precedes it.
     */
    FORWARD_FILL
}
