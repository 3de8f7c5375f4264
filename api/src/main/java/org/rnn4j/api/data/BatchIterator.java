package org.rnn4j.api.data;

import java.util.Iterator;

/**
 * The batches of one pass, in order. Close it when done (or when stopping early): it may hold a
 * prefetch thread or open files.
 */
public interface BatchIterator extends Iterator<Batch>, AutoCloseable {
    @Override
    default void close() {}
}
