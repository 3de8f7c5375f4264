package org.rnn4j.data.series;

/** The checks every scaler makes on its training split while fitting. */
final class TrainingValues {
    private TrainingValues() {}

    /** Rejects an empty training split; {@code scaler} names the scaler in the message. */
    static void checkNotEmpty(int n, String scaler) {
        if (n == 0) {
            throw new IllegalArgumentException(scaler + " scaler cannot be fitted on an empty training split; "
                    + "give the split a larger train fraction");
        }
    }

    /** Rejects a non-finite training value. */
    static void checkFinite(int index, double value, String scaler) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(scaler + " scaler training value at index " + index + " is " + value
                    + "; fill or drop gaps before fitting");
        }
    }
}
