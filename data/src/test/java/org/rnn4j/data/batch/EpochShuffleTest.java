package org.rnn4j.data.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class EpochShuffleTest {

    @Property(tries = 200)
    void isAPermutationOfTheRange(
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 50) int epoch,
            @ForAll @IntRange(min = 0, max = 100) int from,
            @ForAll @IntRange(min = 0, max = 300) int size) {
        int[] order = new EpochShuffle(seed).order(from, from + size, epoch);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < size; i++) {
            assertEquals(from + i, sorted[i]);
        }
        assertArrayEquals(
                order, new EpochShuffle(seed).order(from, from + size, epoch), "same seed and epoch, same order");
    }

    @Test
    void matchesAnIndependentImplementationOfTheDocumentedAlgorithm() {
        // Computed by data/scripts/epoch_shuffle_oracle.py, a separate Python implementation of the algorithm in
        // EpochShuffle's Javadoc
        // (SplitMix64 with Stafford's variant 13 finaliser, 63-bit rejection, Fisher-Yates from the end).
        assertArrayEquals(new int[] {0, 3, 6, 5, 7, 2, 9, 8, 1, 4}, new EpochShuffle(42).order(10, 0));
        assertArrayEquals(new int[] {9, 3, 0, 7, 4, 6, 8, 1, 2, 5}, new EpochShuffle(42).order(10, 1));
        assertArrayEquals(new int[] {100, 104, 103, 102, 101}, new EpochShuffle(-7).order(100, 105, 3));
    }

    @Test
    void epochsDiffer() {
        EpochShuffle s = new EpochShuffle(1);
        assertFalse(Arrays.equals(s.order(1000, 0), s.order(1000, 1)));
        assertFalse(Arrays.equals(s.order(1000, 0), new EpochShuffle(2).order(1000, 0)));
    }

    @Test
    void badRangesAreRefused() {
        assertEquals(
                "shuffle range [5, 3) must satisfy 0 <= from <= to",
                assertThrows(IllegalArgumentException.class, () -> new EpochShuffle(1).order(5, 3, 0))
                        .getMessage());
        assertEquals(
                "shuffle epoch must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new EpochShuffle(1).order(3, -1))
                        .getMessage());
    }
}
