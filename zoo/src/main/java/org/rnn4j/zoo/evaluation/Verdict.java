package org.rnn4j.zoo.evaluation;

import org.rnn4j.zoo.stats.DieboldMariano;

/**
 * What a forecast comparison may honestly say, in three words: the model is {@link #BETTER} or
 * {@link #WORSE} than a baseline when the Diebold-Mariano test (HLN-corrected, two-sided) rejects
 * equal accuracy at the stated level, and otherwise there is {@link #NO_EVIDENCE} of a difference,
 * however far Theil's U is from 1.
 */
public enum Verdict {
    BETTER("better"),
    NO_EVIDENCE("no evidence of a difference"),
    WORSE("worse");

    private final String words;

    Verdict(String words) {
        this.words = words;
    }

    /** {@code better}, {@code no evidence of a difference} or {@code worse}. */
    public String words() {
        return words;
    }

    /** The verdict of one test at level {@code alpha}; a negative statistic means the model's loss is lower. */
    public static Verdict of(DieboldMariano.Result test, double alpha) {
        if (test == null || !(test.pValue() < alpha)) {
            return NO_EVIDENCE;
        }
        return test.meanDifference() < 0 ? BETTER : WORSE;
    }
}
