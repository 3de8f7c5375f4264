package org.rnn4j.data.text;

import java.util.List;
import java.util.Objects;
import org.rnn4j.api.tensor.Tensor;

/**
 * Keras's {@code pad_sequences} for id sequences: every sequence becomes exactly {@code maxLength}
 * ids, padded with 0 (the padding id) and truncated on the chosen {@link Side}; Keras defaults to
 * {@link Side#PRE} for both. The result is an int32 tensor {@code [n, maxLength]}.
 */
public final class PadSequences {
    private PadSequences() {}

    /** Pads and truncates at the start, as Keras does by default. */
    public static Tensor pad(List<int[]> sequences, int maxLength) {
        return pad(sequences, maxLength, Side.PRE, Side.PRE);
    }

    /** Pads to the longest sequence at the start. */
    public static Tensor pad(List<int[]> sequences) {
        int longest = 0;
        for (int[] s : sequences) {
            longest = Math.max(longest, s.length);
        }
        return pad(sequences, longest, Side.PRE, Side.PRE);
    }

    /**
     * @param maxLength  the length of every output row, &gt;= 0
     * @param padding    where zeros go when a sequence is shorter
     * @param truncating where ids are removed when a sequence is longer
     */
    public static Tensor pad(List<int[]> sequences, int maxLength, Side padding, Side truncating) {
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(truncating, "truncating");
        if (maxLength < 0) {
            throw new IllegalArgumentException("pad maxLength must be >= 0, got " + maxLength);
        }
        int[] out = new int[Math.multiplyExact(sequences.size(), maxLength)];
        for (int r = 0; r < sequences.size(); r++) {
            int[] s = sequences.get(r);
            int keep = Math.min(s.length, maxLength);
            int from = truncating == Side.PRE ? s.length - keep : 0;
            int to = padding == Side.PRE ? maxLength - keep : 0;
            System.arraycopy(s, from, out, r * maxLength + to, keep);
        }
        return Tensor.wrapInts(out, sequences.size(), maxLength);
    }
}
