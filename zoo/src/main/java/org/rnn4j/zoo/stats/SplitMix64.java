package org.rnn4j.zoo.stats;

/**
 * Steele, Lea and Flood's SplitMix64 generator, written out so that the bootstrap's draws are
 * defined by this file alone (not by a JDK version) and can be replayed by the Python reference
 * script: {@code state += 0x9E3779B97F4A7C15}, then the 64-bit finaliser of MurmurHash3's variant 13.
 */
final class SplitMix64 {
    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A draw in {@code [0, bound)}: the unsigned 64-bit value modulo {@code bound}. The modulo bias
     * is below {@code bound / 2^64}, far under anything a bootstrap of a few thousand series can see.
     */
    int nextInt(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be >= 1, got " + bound);
        }
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }
}
