package org.rnn4j.backend.dl4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The working arrays a fused recurrent node ({@link TapeLstm}, {@link TapeRnn}) keeps between runs,
 * one set per batch size: a fit has at most two (full batches and the remainder), so the set of the
 * oldest batch size is freed when a third arrives, and a set whose sequence length or width no
 * longer fits is freed and made again.
 *
 * @param <S> one batch size's arrays
 */
final class KeptArrays<S extends KeptArrays.Set> implements AutoCloseable {
    /** Batch sizes whose arrays are kept. */
    static final int BATCH_SIZES = 2;

    /** One batch size's arrays. */
    interface Set extends AutoCloseable {
        long steps();

        long features();

        long bytes();

        @Override
        void close();
    }

    private final Map<Long, S> byBatch = new LinkedHashMap<>();

    /** The arrays for this shape, made with {@code make} when none fit. */
    S get(long batch, long steps, long features, Supplier<S> make) {
        S s = byBatch.get(batch);
        if (s != null && s.steps() == steps && s.features() == features) {
            return s;
        }
        if (s != null) {
            byBatch.remove(batch).close();
        }
        if (byBatch.size() >= BATCH_SIZES) {
            Long oldest = byBatch.keySet().iterator().next();
            byBatch.remove(oldest).close();
        }
        s = make.get();
        byBatch.put(batch, s);
        return s;
    }

    /** Bytes of the arrays kept for all batch sizes. */
    long bytes() {
        return byBatch.values().stream().mapToLong(Set::bytes).sum();
    }

    @Override
    public void close() {
        byBatch.values().forEach(Set::close);
        byBatch.clear();
    }
}
