package org.rnn4j.data.text;

import java.util.Objects;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.batch.Batch;
import org.rnn4j.data.batch.BatchSource;

/**
 * Training sequences cut from one long id sequence (an encoded text). Sequence {@code i} covers ids
 * {@code [i*stride, i*stride + window)}; its per-step targets are the same span shifted by one, and
 * its last-step target is id {@code i*stride + window}. Inputs are {@code [n, window, vocab]}
 * float32 ({@link InputEncoding#ONE_HOT}) or {@code [n, window]} int32 ({@link InputEncoding#IDS});
 * targets are {@code [n, window]} or {@code [n]} int32 ({@link TargetKind}).
 *
 * <p>Holds only the id sequence; each {@link #batch(int[])} builds its own rows, so a one-hot
 * batch costs {@code batch * window * vocab} floats and the whole text is never expanded at once.
 */
public final class TextWindows implements BatchSource {
    private final int[] ids;
    private final int vocabularySize;
    private final TextWindowSpec spec;
    private final int count;

    private TextWindows(int[] ids, int vocabularySize, TextWindowSpec spec) {
        this.ids = ids;
        this.vocabularySize = vocabularySize;
        this.spec = spec;
        this.count = spec.count(ids.length);
    }

    /** Sequences over {@code text} encoded with {@code vocabulary}. */
    public static TextWindows of(CharVocabulary vocabulary, CharSequence text, TextWindowSpec spec) {
        return of(vocabulary.encode(text), vocabulary.size(), spec);
    }

    /** Sequences over ids in {@code [0, vocabularySize)}; the array is copied. */
    public static TextWindows of(int[] ids, int vocabularySize, TextWindowSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (vocabularySize <= 0) {
            throw new IllegalArgumentException("vocabularySize must be > 0, got " + vocabularySize);
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabularySize) {
                throw new IllegalArgumentException("id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + vocabularySize + ")");
            }
        }
        if (ids.length < spec.window() + 1L) {
            int largest = ids.length - 1;
            throw new IllegalArgumentException("a text of " + ids.length + " characters is too short for sequences of "
                    + spec.window() + ": each needs window + 1 = " + (spec.window() + 1L)
                    + " characters (the last one is the target)"
                    + (largest >= 1 ? "; the largest window for this text is " + largest : "; use a longer text"));
        }
        return new TextWindows(ids.clone(), vocabularySize, spec);
    }

    public TextWindowSpec spec() {
        return spec;
    }

    /** The number of sequences {@code n}. */
    @Override
    public int size() {
        return count;
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    /** The first text position of sequence {@code row}. */
    public int windowStart(int row) {
        checkRow(row);
        return row * spec.stride();
    }

    /** Inputs and targets for the given sequences only, shaped as the class description says. */
    @Override
    public Batch batch(int[] rows) {
        int window = spec.window();
        int[] in = new int[Math.multiplyExact(rows.length, window)];
        boolean perStep = spec.target() == TargetKind.NEXT_PER_STEP;
        int[] out = new int[perStep ? rows.length * window : rows.length];
        for (int r = 0; r < rows.length; r++) {
            checkRow(rows[r]);
            int start = rows[r] * spec.stride();
            System.arraycopy(ids, start, in, r * window, window);
            if (perStep) {
                System.arraycopy(ids, start + 1, out, r * window, window);
            } else {
                out[r] = ids[start + window];
            }
        }
        Tensor idInputs = Tensor.wrapInts(in, rows.length, window);
        Tensor inputs = spec.input() == InputEncoding.ONE_HOT ? OneHot.encode(idInputs, vocabularySize) : idInputs;
        Tensor targets = perStep ? Tensor.wrapInts(out, rows.length, window) : Tensor.wrapInts(out, rows.length);
        return new Batch(inputs, targets);
    }

    /** All inputs at once; prefer {@link #batches} for long texts. */
    public Tensor inputs() {
        return batch(allRows()).inputs();
    }

    /** All targets at once. */
    public Tensor targets() {
        return batch(allRows()).targets();
    }

    private int[] allRows() {
        long perRow = (long) spec.window() * (spec.input() == InputEncoding.ONE_HOT ? vocabularySize : 1);
        if (perRow * count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " sequences of " + perRow
                    + " values do not fit one tensor; use batches(BatchPlan) instead");
        }
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) {
            rows[i] = i;
        }
        return rows;
    }

    private void checkRow(int row) {
        if (row < 0 || row >= count) {
            throw new IllegalArgumentException("sequence row must be in [0, " + count + "), got " + row);
        }
    }
}
