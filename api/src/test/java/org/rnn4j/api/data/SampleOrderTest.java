package org.rnn4j.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampleOrderTest {

    /**
     * The documented shuffle written out independently: SplittableRandom seeded with the mix of
     * (seed, 0x5DEECE66D, epoch), Fisher-Yates from the last position down. This is the order
     * Trainer.order gave before the data contract existed, so in-memory runs keep their numbers.
     */
    private static int[] reference(int n, long seed, int epoch) {
        long h = seed * 0x9E3779B97F4A7C15L + 0x5DEECE66DL;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + epoch;
        SplittableRandom rng = new SplittableRandom(h ^ (h >>> 29));
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    @Test
    void theShuffleIsTheDocumentedFisherYates() {
        for (int n : new int[] {0, 1, 2, 7, 1000}) {
            for (int epoch = 0; epoch < 3; epoch++) {
                EpochPlan plan = new EpochPlan(epoch, 42, 8, true);
                assertArrayEquals(
                        reference(n, 42, epoch),
                        SampleOrder.permutation(n, plan).slice(0, n));
                assertArrayEquals(
                        reference(n, 42, epoch), SampleOrder.of(n, plan).slice(0, n), "streamed, small");
            }
        }
    }

    @Test
    void withoutShuffleTheOrderIsTheDatasetOrder() {
        SampleOrder o = SampleOrder.of(5, new EpochPlan(3, 1, 2, false));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, o.slice(0, 5));
        assertArrayEquals(new int[] {2, 3}, o.slice(2, 2));
    }

    @Test
    void theFeistelOrderIsASeededPermutation() {
        for (int n : new int[] {1, 2, 3, 4, 5, 17, 1000, 65_537}) {
            SampleOrder.Feistel f = new SampleOrder.Feistel(n, 7, 2);
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                int v = f.apply(i);
                assertTrue(v >= 0 && v < n, n + ": " + v);
                assertFalse(seen[v], n + ": " + v + " twice");
                seen[v] = true;
            }
            assertEquals(f.apply(n / 2), new SampleOrder.Feistel(n, 7, 2).apply(n / 2), "same seed and epoch");
        }
        int[] e2 = new int[1000];
        int[] e3 = new int[1000];
        for (int i = 0; i < 1000; i++) {
            e2[i] = new SampleOrder.Feistel(1000, 7, 2).apply(i);
            e3[i] = new SampleOrder.Feistel(1000, 7, 3).apply(i);
        }
        assertFalse(Arrays.equals(e2, e3), "another epoch, another order");
    }

    @Test
    void theFeistelOrderMovesEverySampleAboutEquallyOften() {
        // Where sample 0 lands over 20,000 epochs of 10 samples: each position about 2,000 times.
        int[] counts = new int[10];
        for (int epoch = 0; epoch < 20_000; epoch++) {
            SampleOrder.Feistel f = new SampleOrder.Feistel(10, 99, epoch);
            for (int p = 0; p < 10; p++) {
                if (f.apply(p) == 0) {
                    counts[p]++;
                }
            }
        }
        for (int c : counts) {
            assertTrue(c > 1_700 && c < 2_300, Arrays.toString(counts));
        }
    }

    @Test
    void streamedShufflesAboveTheLimitNeedNoArray() {
        int n = SampleOrder.ARRAY_LIMIT + 1;
        SampleOrder o = SampleOrder.of(n, new EpochPlan(0, 5, 32, true));
        assertTrue(o.isBijection());
        int[] batch = o.slice(n - 32, 32);
        assertEquals(32, Arrays.stream(batch).distinct().count());
        assertEquals(o.get(n - 1), batch[31]);
        assertFalse(SampleOrder.of(SampleOrder.ARRAY_LIMIT, new EpochPlan(0, 5, 32, false))
                .isBijection());
    }

    @Test
    void aPermutationThatDoesNotFitTheHeapIsRefusedInOneLine() {
        MemoryBudget.NotEnoughMemoryException e = assertThrows(
                MemoryBudget.NotEnoughMemoryException.class,
                () -> MemoryBudget.require(Long.MAX_VALUE / 2, "the test's allocation", "make it smaller"));
        assertTrue(e.getMessage().startsWith("the test's allocation needs "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; make it smaller"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
