package org.rnn4j.data.text;

import java.util.Objects;

/**
 * How training sequences are cut from a long text: {@code window} characters per sequence, a new
 * sequence every {@code stride} characters, with the given input encoding and targets.
 */
public record TextWindowSpec(int window, int stride, InputEncoding input, TargetKind target) {
    public TextWindowSpec {
        if (window <= 0) {
            throw new IllegalArgumentException("text.window must be > 0, got " + window);
        }
        if (stride <= 0) {
            throw new IllegalArgumentException("text.stride must be > 0, got " + stride);
        }
        Objects.requireNonNull(input, "text.input must be set (ONE_HOT or IDS)");
        Objects.requireNonNull(target, "text.target must be set (NEXT_PER_STEP or NEXT_AFTER_LAST)");
    }

    /**
     * The number of sequences in a text of {@code length} ids: {@code floor((length - 1 - window) / stride) + 1},
     * or 0 when the text is shorter than {@code window + 1} (each sequence needs the character after it).
     */
    public int count(int length) {
        long span = (long) window + 1;
        return length < span ? 0 : (int) ((length - span) / stride + 1);
    }
}
