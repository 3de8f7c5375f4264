package org.rnn4j.data.batch;

/**
 * A seeded shuffle of row indices for one training epoch. The algorithm is fixed and pure Java, so
 * every backend, JVM and platform gets the same order from the same seed and epoch:
 * <ol>
 *   <li>the generator state starts at {@code mix64(seed ^ (0x9E3779B97F4A7C15 * (epoch + 1)))};</li>
 *   <li>each draw adds {@code 0x9E3779B97F4A7C15} to the state and returns {@code mix64(state)}
 *   (SplitMix64, with Stafford's variant-13 finaliser as {@code mix64});</li>
 *   <li>an index below {@code bound} is {@code (draw >>> 1) % bound}, redrawn when it falls in the
 *   biased tail (the rule of {@code java.util.Random.nextInt(int)}, in 63 bits);</li>
 *   <li>Fisher-Yates from the last position down: swap {@code a[i]} with {@code a[nextIndex(i + 1)]}.</li>
 * </ol>
 * Shuffle only within the training split: the order returned covers {@code [from, to)} and nothing else.
 */
public record EpochShuffle(long seed) {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** A permutation of {@code 0 .. size-1} for {@code epoch} (0-based). */
    public int[] order(int size, int epoch) {
        return order(0, size, epoch);
    }

    /** A permutation of {@code from .. to-1} for {@code epoch} (0-based), e.g. the training rows. */
    public int[] order(int from, int to, int epoch) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("shuffle range [" + from + ", " + to + ") must satisfy 0 <= from <= to");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("shuffle epoch must be >= 0, got " + epoch);
        }
        int[] a = new int[to - from];
        for (int i = 0; i < a.length; i++) {
            a[i] = from + i;
        }
        long[] state = {mix64(seed ^ (GOLDEN_GAMMA * (epoch + 1L)))};
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextIndex(state, i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static int nextIndex(long[] state, int bound) {
        while (true) {
            state[0] += GOLDEN_GAMMA;
            long bits = mix64(state[0]) >>> 1;
            long value = bits % bound;
            // Overflow here means bits fell in the last, incomplete block of size `bound`: redraw to stay unbiased.
            if (bits - value + (bound - 1) >= 0) {
                return (int) value;
            }
        }
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
