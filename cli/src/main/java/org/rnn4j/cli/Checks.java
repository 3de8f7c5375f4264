package org.rnn4j.cli;

/** Option checks shared by several commands. */
final class Checks {
    private Checks() {}

    static void positive(String option, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, got " + value);
        }
    }
}
