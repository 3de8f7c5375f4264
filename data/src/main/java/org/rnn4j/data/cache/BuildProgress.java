package org.rnn4j.data.cache;

/**
 * Hears how the build of a cache file advances, e.g. to print rows per second and the time left.
 * Called on the building thread every quarter of a second or so, and once at the end.
 */
@FunctionalInterface
public interface BuildProgress {
    /** A listener that hears nothing. */
    BuildProgress NONE = (what, items, bytesRead, totalBytes, nanos, done) -> {};

    /**
     * @param what       what is being built, e.g. {@code "column cache of prices.csv"}
     * @param items      rows (or characters) done so far
     * @param bytesRead  bytes of the source read so far
     * @param totalBytes the source's size in bytes
     * @param nanos      nanoseconds since the build started
     * @param done       true on the last call
     */
    void update(String what, long items, long bytesRead, long totalBytes, long nanos, boolean done);
}
