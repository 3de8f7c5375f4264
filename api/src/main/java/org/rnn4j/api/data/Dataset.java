package org.rnn4j.api.data;

import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * Training, validation or prediction data as batches: what {@code Model.fit}, {@code evaluate}
 * and {@code predict} consume. In-memory tensors ({@link TensorDataset}) are one implementation;
 * the data module streams windows of series and texts larger than memory
 * ({@link IndexedDataset}s over memory-mapped files); a source of unknown length (a stream, a
 * partition of a cluster's data) implements this interface directly.
 *
 * <p>{@link #batches(EpochPlan)} must give the same batches, in the same order, every time it is
 * called with the same plan: training is reproducible and resumable only if the data is.
 * Datasets of known size visit their samples in {@link SampleOrder}'s order.
 */
public interface Dataset extends AutoCloseable {

    /** The number of samples, when known before a pass (see {@link IndexedDataset#count()}). */
    OptionalLong sampleCount();

    /**
     * The batches of one pass under {@code plan}. Called from the thread that prefetches batches
     * (or the training thread, see {@link #inMemory()}), so it and the iterator must not depend on
     * the calling thread.
     */
    BatchIterator batches(EpochPlan plan);

    /**
     * Whether every batch is a copy out of arrays already in memory: no file to read, no function of
     * the user's to run. Training then makes such batches on its own thread, since handing a batch
     * over from a prefetch thread costs more than copying it ({@link Prefetch}). The default is
     * {@code false}; a dataset that says {@code true} must still be safe to read from another thread.
     */
    default boolean inMemory() {
        return false;
    }

    /** Releases files or connections; the default holds none. */
    @Override
    default void close() {}

    /**
     * This dataset with {@code f} applied to every batch (on the prefetch thread, so a check or a
     * conversion costs the training loop nothing). The result is never {@link #inMemory()}: {@code f}
     * may cost anything.
     */
    default Dataset map(UnaryOperator<Batch> f) {
        return map(f, false);
    }

    /**
     * This dataset with {@code f} applied to every batch. {@code cheap} says {@code f} costs about
     * as much as copying the batch (a check, a small conversion), so the result is {@link
     * #inMemory()} when this dataset is, and its batches stay on the training thread; otherwise
     * they are made on the prefetch thread.
     */
    default Dataset map(UnaryOperator<Batch> f, boolean cheap) {
        Dataset source = this;
        boolean inMemory = cheap && source.inMemory();
        return new Dataset() {
            @Override
            public OptionalLong sampleCount() {
                return source.sampleCount();
            }

            @Override
            public BatchIterator batches(EpochPlan plan) {
                BatchIterator it = source.batches(plan);
                return new BatchIterator() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Batch next() {
                        if (!it.hasNext()) {
                            throw new NoSuchElementException("the pass has no more batches");
                        }
                        return f.apply(it.next());
                    }

                    @Override
                    public void close() {
                        it.close();
                    }
                };
            }

            @Override
            public boolean inMemory() {
                return inMemory;
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }
}
