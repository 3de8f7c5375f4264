package org.rnn4j.data.csv;

/** How the reader treats the order of dated rows. Rows are never reordered silently. */
public enum RowOrder {
    /** The default: rows must be in strictly ascending date order; the first row out of order is an error. */
    REQUIRE_ASCENDING,
    /** Rows are sorted by date (stable); repeated dates are still an error. */
    SORT
}
