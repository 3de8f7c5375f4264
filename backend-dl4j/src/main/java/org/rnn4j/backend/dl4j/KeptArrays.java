package org.rnn4j.backend.dl4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The working arrays a fused recurrent node ({@link TapeLstm}, {@link TapeRnn}) keeps between runs,
 * one set per batch size: a fit has at most two (full batches and the remainder), so the set of the
 * oldest batch size is freed when a third arrives, and a set whose sequence length or width no
 * longer fits is freed and made again.
 *
 * @param <S> one batch size's arrays
 */
final class KeptArrays<S extends KeptArrays.Arrays> implements AutoCloseable {
    /** Batch sizes whose arrays are kept. */
    static final int BATCH_SIZES = 2;

    /**
     * One batch size's arrays, for a sequence length and input width: those {@link #alloc} made are
     * freed together (views share them and are not listed), after the ops {@link #bind} bound to them.
     */
    abstract static class Arrays implements AutoCloseable {
        final long steps;
        final long features;
        final List<INDArray> owned = new ArrayList<>();
        private final List<BoundOp> bound = new ArrayList<>();

        Arrays(long steps, long features) {
            this.steps = steps;
            this.features = features;
        }

        /** A new uninitialized float array, freed with this set. */
        final INDArray alloc(long... shape) {
            INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape);
            owned.add(a);
            return a;
        }

        /** {@code op}, closed with this set, before its arrays are freed. */
        final BoundOp bind(BoundOp op) {
            bound.add(op);
            return op;
        }

        final long bytes() {
            return owned.stream().mapToLong(a -> a.length() * Float.BYTES).sum();
        }

        final int boundOps() {
            return bound.size();
        }

        /**
         * Closes the ops bound so far and forgets them; the arrays stay. For a set used once, whose
         * arrays a run frees: the set must not run again, as its node may still hold the closed ops.
         */
        final void closeBound() {
            try {
                for (BoundOp op : bound) {
                    op.close();
                }
            } finally {
                bound.clear();
            }
        }

        @Override
        public void close() {
            try {
                closeBound();
            } finally {
                for (INDArray a : owned) {
                    if (a.closeable() && !a.wasClosed()) {
                        a.close();
                    }
                }
                owned.clear();
            }
        }
    }

    private final Map<Long, S> byBatch = new LinkedHashMap<>();

    /** The arrays for this shape, made with {@code make} when none fit. */
    S get(long batch, long steps, long features, Supplier<S> make) {
        S s = byBatch.get(batch);
        if (s != null && s.steps == steps && s.features == features) {
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
        return byBatch.values().stream().mapToLong(Arrays::bytes).sum();
    }

    /** Ops bound to the arrays kept for all batch sizes ({@link Arrays#bind}). */
    long boundOps() {
        return byBatch.values().stream().mapToLong(Arrays::boundOps).sum();
    }

    @Override
    public void close() {
        byBatch.values().forEach(Arrays::close);
        byBatch.clear();
    }
}
