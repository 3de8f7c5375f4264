package org.rnn4j.api.data;

import java.util.Locale;

/**
 * Checks a large allocation against the Java heap before it is made, so a run that cannot fit
 * fails at once with one line naming what it needs and the way out, instead of an
 * {@link OutOfMemoryError} halfway through.
 */
public final class MemoryBudget {
    private MemoryBudget() {}

    /** Bytes the heap can still give: the maximum heap minus what is in use (garbage counted as in use). */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Refuses when {@code bytes} more do not fit the heap.
     *
     * @param what   what the bytes are for, e.g. "the shuffled order of 70000000 samples"
     * @param wayOut what the user can do, e.g. "raise the heap (-Xmx)"
     * @throws NotEnoughMemoryException naming the need, the heap and the way out
     */
    public static void require(long bytes, String what, String wayOut) {
        if (bytes <= available()) {
            return;
        }
        // What is in use may be garbage: collect once before refusing (only on this rare path).
        System.gc();
        long free = available();
        if (bytes > free) {
            throw new NotEnoughMemoryException(String.format(
                    Locale.ROOT,
                    "%s needs %s of heap but only %s of the %s maximum heap is free; %s",
                    what,
                    describe(bytes),
                    describe(free),
                    describe(Runtime.getRuntime().maxMemory()),
                    wayOut));
        }
    }

    /** Bytes in MB or GB, e.g. {@code "1.2 GB"}. */
    public static String describe(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%d MB", (bytes + (1L << 20) - 1) >> 20);
    }

    /** A refused allocation: the data does not fit this JVM's heap. A bad setting, so an {@link IllegalArgumentException}. */
    public static final class NotEnoughMemoryException extends IllegalArgumentException {
        public NotEnoughMemoryException(String message) {
            super(message);
        }
    }
}
