package org.rnn4j.spark;

import java.util.Optional;

/**
 * Finds the bad-input error behind a failed Spark job. An executor's exception reaches the driver
 * as the cause of a {@code SparkException} ("Job aborted due to stage failure: ..."); rnn4j's
 * executor code raises {@link IllegalArgumentException} for bad input, which this finds so that
 * callers can report it as one line.
 */
public final class SparkErrors {
    private SparkErrors() {}

    /** The first {@link IllegalArgumentException} in the cause chain of {@code t}, if any. */
    public static Optional<IllegalArgumentException> inputError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IllegalArgumentException e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The most telling message of a failure: the deepest cause's, for wrapped executor errors. */
    public static String message(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
    }
}
