package org.rnn4j.cli;

/** The CLI's exit codes: 0 success, 1 a runtime failure, 2 bad input or usage (README, "Exit codes"). */
final class ExitCodes {
    static final int OK = 0;
    /** A runtime failure: training diverged, an engine failed, a file could not be written. */
    static final int FAILURE = 1;
    /** Bad usage or bad input: unknown options, missing or malformed files, invalid values. */
    static final int USAGE = 2;

    private ExitCodes() {}
}
