package org.rnn4j.data.text;

/** Which next-character targets text windows carry (sparse int32 ids; one-hot them with {@link OneHot} if needed). */
public enum TargetKind {
    /** The next character after every step, {@code [n, time]}: for models returning sequences. */
    NEXT_PER_STEP,
    /** The character after the last step only, {@code [n]}: for models returning the last step. */
    NEXT_AFTER_LAST
}
