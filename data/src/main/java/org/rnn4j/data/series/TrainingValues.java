package org.rnn4j.data.series;

/** The checks every scaler makes on its training split before fitting. */
final class TrainingValues {
    private TrainingValues() {}

    /** Rejects an empty or non-finite training split; {@code scaler} names the scaler in the message. */
    static void check(double[] train, String scaler) {
        if (train.length == 0) {
            throw new IllegalArgumentException(scaler + " scaler cannot be fitted on an empty training split; "
                    + "give the split a larger train fraction");
        }
        for (int i = 0; i < train.length; i++) {
            if (!Double.isFinite(train[i])) {
                throw new IllegalArgumentException(scaler + " scaler training value at index " + i + " is " + train[i]
                        + "; fill or drop gaps before fitting");
            }
        }
    }
}
