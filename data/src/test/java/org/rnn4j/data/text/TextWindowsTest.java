package org.rnn4j.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.tensor.Tensor;

class TextWindowsTest {
    private static final CharVocabulary ABC = CharVocabulary.fit("abcdefgh");

    @Test
    void idSequencesWithPerStepAndLastStepTargets() {
        // "abcdefg" = ids 0..6; window 3, stride 2: starts 0, 2 (2 + 3 + 1 = 6 <= 7); 4 + 4 = 8 > 7.
        TextWindows perStep =
                TextWindows.of(ABC, "abcdefg", new TextWindowSpec(3, 2, InputEncoding.IDS, TargetKind.NEXT_PER_STEP));
        assertEquals(2, perStep.count());
        assertEquals(Tensor.ofInts(new int[] {0, 1, 2, 2, 3, 4}, 2, 3), perStep.inputs());
        assertEquals(Tensor.ofInts(new int[] {1, 2, 3, 3, 4, 5}, 2, 3), perStep.targets());

        TextWindows last =
                TextWindows.of(ABC, "abcdefg", new TextWindowSpec(3, 2, InputEncoding.IDS, TargetKind.NEXT_AFTER_LAST));
        assertEquals(Tensor.ofInts(new int[] {3, 5}, 2), last.targets());
    }

    @Test
    void oneHotInputs() {
        CharVocabulary abe = CharVocabulary.fit("abcde");
        TextWindows w = TextWindows.of(
                abe, "abed", new TextWindowSpec(3, 1, InputEncoding.ONE_HOT, TargetKind.NEXT_AFTER_LAST));
        Batch b = w.batch(new int[] {0});
        assertArrayEquals(new int[] {1, 3, 5}, b.x().shape());
        assertEquals(abe.oneHot("abe"), b.x());
        assertEquals(Tensor.ofInts(new int[] {3}, 1), b.y());
    }

    @Property(tries = 200)
    void sequencesStartEveryStrideAndStayInsideTheText(
            @ForAll @IntRange(min = 1, max = 20) int window,
            @ForAll @IntRange(min = 1, max = 6) int stride,
            @ForAll @IntRange(min = 0, max = 60) int extra) {
        int length = window + 1 + extra;
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = i % 7;
        }
        TextWindows w =
                TextWindows.of(ids, 7, new TextWindowSpec(window, stride, InputEncoding.IDS, TargetKind.NEXT_PER_STEP));
        int expected = 0;
        for (int s = 0; s + window + 1 <= length; s += stride) {
            expected++;
        }
        assertEquals(expected, w.count());
        int[] in = w.inputs().intView();
        int[] out = w.targets().intView();
        for (int r = 0; r < w.count(); r++) {
            assertEquals(r * stride, w.windowStart(r));
            for (int t = 0; t < window; t++) {
                assertEquals(ids[r * stride + t], in[r * window + t]);
                assertEquals(ids[r * stride + t + 1], out[r * window + t]);
            }
        }
    }

    @Test
    void aTextShorterThanTheWindowIsRefused() {
        assertEquals(
                "a text of 5 characters is too short for sequences of 5: each needs window + 1 = 6 characters "
                        + "(the last one is the target); the largest window for this text is 4",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TextWindows.of(
                                        ABC,
                                        "abcde",
                                        new TextWindowSpec(5, 1, InputEncoding.IDS, TargetKind.NEXT_PER_STEP)))
                        .getMessage());
        assertEquals(
                "text.stride must be > 0, got 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new TextWindowSpec(5, 0, InputEncoding.IDS, TargetKind.NEXT_PER_STEP))
                        .getMessage());
    }
}
