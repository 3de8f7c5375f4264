package org.rnn4j.data.text;

import java.util.Objects;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.IndexedDataset;
import org.rnn4j.api.data.MemoryBudget;
import org.rnn4j.api.tensor.Tensor;

/**
 * Training sequences cut from one long id sequence (an encoded text). Sequence {@code i} covers ids
 * {@code [i*stride, i*stride + window)}; its per-step targets are the same span shifted by one, and
 * its last-step target is id {@code i*stride + window}. Inputs are {@code [n, window, vocab]}
 * float32 ({@link InputEncoding#ONE_HOT}) or {@code [n, window]} int32 ({@link InputEncoding#IDS});
 * targets are {@code [n, window]} or {@code [n]} int32 ({@link TargetKind}).
 *
 * <p>Holds only the id sequence (an array, or a memory-mapped {@link TokenFile} for a text larger
 * than memory); each {@link #batch(int[])} builds its own rows, so a one-hot batch costs
 * {@code batch * window * vocab} floats and the whole text is never expanded at once.
 */
public final class TextWindows implements IndexedDataset {
    private final IdSequence ids;
    private final int vocabularySize;
    private final TextWindowSpec spec;
    private final int count;

    private TextWindows(IdSequence ids, int vocabularySize, TextWindowSpec spec) {
        this.ids = ids;
        this.vocabularySize = vocabularySize;
        this.spec = spec;
        this.count = spec.count(ids.length());
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
        checkLength(ids.length, spec);
        return new TextWindows(IdSequence.of(ids.clone()), vocabularySize, spec);
    }

    /**
     * Sequences over ids read lazily (e.g. a {@link TokenFile}'s, whose ids were checked when it was
     * built): nothing is copied.
     */
    public static TextWindows of(IdSequence ids, int vocabularySize, TextWindowSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (vocabularySize <= 0) {
            throw new IllegalArgumentException("vocabularySize must be > 0, got " + vocabularySize);
        }
        checkLength(ids.length(), spec);
        return new TextWindows(ids, vocabularySize, spec);
    }

    private static void checkLength(int length, TextWindowSpec spec) {
        if (length < spec.window() + 1L) {
            int largest = length - 1;
            throw new IllegalArgumentException("a text of " + length + " characters is too short for sequences of "
                    + spec.window() + ": each needs window + 1 = " + (spec.window() + 1L)
                    + " characters (the last one is the target)"
                    + (largest >= 1 ? "; the largest window for this text is " + largest : "; use a longer text"));
        }
    }

    public TextWindowSpec spec() {
        return spec;
    }

    /** The number of sequences {@code n}. */
    @Override
    public int count() {
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
        int[] span = new int[window + 1];
        for (int r = 0; r < rows.length; r++) {
            checkRow(rows[r]);
            int start = rows[r] * spec.stride();
            ids.read(start, span, 0, window + 1);
            System.arraycopy(span, 0, in, r * window, window);
            if (perStep) {
                System.arraycopy(span, 1, out, r * window, window);
            } else {
                out[r] = span[window];
            }
        }
        Tensor idInputs = Tensor.wrapInts(in, rows.length, window);
        Tensor inputs = spec.input() == InputEncoding.ONE_HOT ? OneHot.encode(idInputs, vocabularySize) : idInputs;
        Tensor targets = perStep ? Tensor.wrapInts(out, rows.length, window) : Tensor.wrapInts(out, rows.length);
        return new Batch(inputs, targets);
    }

    /** All inputs at once; prefer {@link #batches} for long texts. */
    public Tensor inputs() {
        return batch(allRows()).x();
    }

    /** All targets at once. */
    public Tensor targets() {
        return batch(allRows()).y();
    }

    private int[] allRows() {
        long perRow = (long) spec.window() * (spec.input() == InputEncoding.ONE_HOT ? vocabularySize : 1);
        if (perRow * count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " sequences of " + perRow
                    + " values do not fit one tensor; train from the dataset's batches instead");
        }
        MemoryBudget.require(
                4 * (perRow * count + (long) count * (spec.target() == TargetKind.NEXT_PER_STEP ? spec.window() : 1)),
                count + " sequences of " + spec.window() + " in memory",
                "train from the dataset's batches (Model.fit(dataset, ...)) or raise the heap (-Xmx)");
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
