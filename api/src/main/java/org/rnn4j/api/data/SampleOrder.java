package org.rnn4j.api.data;

import java.util.SplittableRandom;

/**
 * The order in which one epoch visits the samples of a dataset: the project's one shuffle. With
 * {@code shuffle} off it is {@code 0 .. n-1}. With {@code shuffle} on it is a Fisher-Yates
 * permutation drawn from a {@link SplittableRandom} seeded by {@code (seed, epoch)} alone, so a run
 * resumed at an epoch boundary continues exactly as an uninterrupted one, and every backend sees
 * the same batches.
 *
 * <p>The permutation is an {@code int[n]} (4 bytes per sample, checked against the heap before it
 * is allocated). Datasets whose samples are built on demand (windows streamed from a file) use it
 * up to {@link #ARRAY_LIMIT} samples, so a streamed run and an in-memory run of the same data give
 * the same batches; above that they use a seeded Feistel bijection of the index range with cycle
 * walking, which needs no array (a different, equally seeded order). In-memory tensors always use
 * the array: they already hold their samples, and their order stays what it has always been.
 */
public final class SampleOrder {
    /** Streamed datasets with more samples than this (256 MiB of indices) shuffle with the Feistel bijection. */
    public static final int ARRAY_LIMIT = 1 << 26;

    private static final long SHUFFLE_STREAM = 0x5DEECE66DL;

    private final int n;
    private final int[] permutation; // null: identity or Feistel
    private final Feistel feistel; // null: identity or array

    private SampleOrder(int n, int[] permutation, Feistel feistel) {
        this.n = n;
        this.permutation = permutation;
        this.feistel = feistel;
    }

    /** The order of {@code n} samples built on demand: the array shuffle up to {@link #ARRAY_LIMIT}, else Feistel. */
    public static SampleOrder of(int n, EpochPlan plan) {
        checkSize(n);
        if (!plan.shuffle()) {
            return new SampleOrder(n, null, null);
        }
        if (n > ARRAY_LIMIT) {
            return new SampleOrder(n, null, new Feistel(n, plan.seed(), plan.epoch()));
        }
        return permutation(n, plan);
    }

    /** The order of {@code n} in-memory samples: always the array shuffle (or {@code 0 .. n-1}). */
    public static SampleOrder permutation(int n, EpochPlan plan) {
        checkSize(n);
        if (!plan.shuffle()) {
            return new SampleOrder(n, null, null);
        }
        MemoryBudget.require(
                4L * n,
                "the shuffled order of " + n + " samples",
                "raise the heap (-Xmx, RNN4J_JAVA_OPTS) or train without shuffling");
        return new SampleOrder(n, fisherYates(n, plan.seed(), plan.epoch()), null);
    }

    /**
     * The seeded Fisher-Yates permutation of {@code 0 .. n-1} for {@code epoch}: from the last
     * position down, swap with {@code rng.nextInt(i + 1)}.
     */
    public static int[] fisherYates(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(mix(seed, SHUFFLE_STREAM, epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The number of samples. */
    public int size() {
        return n;
    }

    /** True when the order is the Feistel bijection (more than {@link #ARRAY_LIMIT} streamed samples). */
    public boolean isBijection() {
        return feistel != null;
    }

    /** The sample visited at {@code position}. */
    public int get(int position) {
        if (position < 0 || position >= n) {
            throw new IndexOutOfBoundsException("position " + position + " outside [0, " + n + ")");
        }
        if (permutation != null) {
            return permutation[position];
        }
        return feistel != null ? feistel.apply(position) : position;
    }

    /** The samples of positions {@code [from, from + count)}: one batch's indices. */
    public int[] slice(int from, int count) {
        if (from < 0 || count < 0 || from > n - count) {
            throw new IndexOutOfBoundsException(
                    "positions [" + from + ", " + ((long) from + count) + ") outside [0, " + n + ")");
        }
        int[] out = new int[count];
        if (permutation != null) {
            System.arraycopy(permutation, from, out, 0, count);
        } else if (feistel != null) {
            for (int i = 0; i < count; i++) {
                out[i] = feistel.apply(from + i);
            }
        } else {
            for (int i = 0; i < count; i++) {
                out[i] = from + i;
            }
        }
        return out;
    }

    private static void checkSize(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("a dataset cannot have " + n + " samples");
        }
    }

    /** The seed of one (seed, stream, index) triple; shared with the dropout masks' seeds. */
    public static long mix(long seed, long a, long b) {
        long h = seed * 0x9E3779B97F4A7C15L + a;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + b;
        return h ^ (h >>> 29);
    }

    /**
     * A seeded bijection of {@code [0, n)}: a balanced Feistel network over the smallest even
     * number of bits that covers {@code n}, six rounds, each round function a 64-bit finaliser of
     * the half and a round key; values at or above {@code n} are encrypted again (cycle walking)
     * until they fall inside, which keeps it a permutation of {@code [0, n)}. The domain is below
     * {@code 4n}, so a position takes fewer than four walks on average.
     */
    static final class Feistel {
        private static final int ROUNDS = 6;
        private final int n;
        private final int halfBits;
        private final long mask;
        private final long[] keys = new long[ROUNDS];

        Feistel(int n, long seed, int epoch) {
            this.n = n;
            int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1L)));
            bits += bits & 1;
            this.halfBits = bits / 2;
            this.mask = (1L << halfBits) - 1;
            SplittableRandom rng = new SplittableRandom(mix(seed, SHUFFLE_STREAM, epoch));
            for (int r = 0; r < ROUNDS; r++) {
                keys[r] = rng.nextLong();
            }
        }

        int apply(int position) {
            long x = position;
            do {
                x = encrypt(x);
            } while (x >= n);
            return (int) x;
        }

        private long encrypt(long x) {
            long left = x >>> halfBits;
            long right = x & mask;
            for (long key : keys) {
                long next = left ^ (round(right, key) & mask);
                left = right;
                right = next;
            }
            return (left << halfBits) | right;
        }

        private static long round(long half, long key) {
            long z = (half + key) * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
