package org.rnn4j.api.data;

import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * A dataset of {@link #count()} samples that builds any batch from sample indices, so a pass
 * holds one batch at a time, never all samples: windows of a memory-mapped series, sequences of a
 * memory-mapped text, or rows of in-memory tensors. Its passes visit the samples in
 * {@link #order(EpochPlan)}, cut into batches of {@code plan.batchSize()}.
 */
public interface IndexedDataset extends Dataset {

    /** The number of samples. */
    int count();

    /**
     * The batch of the given samples, in that order.
     *
     * @param indices sample indices in {@code [0, count())}; any order
     */
    Batch batch(int[] indices);

    @Override
    default OptionalLong sampleCount() {
        return OptionalLong.of(count());
    }

    /** The order of one pass: {@link SampleOrder#of}, the same for every dataset of this size. */
    default SampleOrder order(EpochPlan plan) {
        return SampleOrder.of(count(), plan);
    }

    /** The batches of {@code plan}; the order is drawn when the first batch is asked for (on the thread that makes the batches). */
    @Override
    default BatchIterator batches(EpochPlan plan) {
        IndexedDataset source = this;
        int n = count();
        int batchSize = plan.batchSize();
        return new BatchIterator() {
            private SampleOrder order;
            private int next;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            public Batch next() {
                if (next >= n) {
                    throw new NoSuchElementException("all " + n + " samples have been returned");
                }
                if (order == null) {
                    order = source.order(plan);
                }
                int count = Math.min(batchSize, n - next);
                int[] indices = order.slice(next, count);
                next += count;
                return source.batch(indices);
            }
        };
    }

    /** Samples {@code [from, to)} as a dataset of its own (a view: nothing is copied). */
    default IndexedDataset slice(int from, int to) {
        int n = count();
        if (from < 0 || to < from || to > n) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") is outside the " + n + " samples");
        }
        IndexedDataset source = this;
        return new IndexedDataset() {
            @Override
            public int count() {
                return to - from;
            }

            @Override
            public Batch batch(int[] indices) {
                int[] shifted = new int[indices.length];
                for (int i = 0; i < indices.length; i++) {
                    if (indices[i] < 0 || indices[i] >= to - from) {
                        throw new IndexOutOfBoundsException(
                                "sample " + indices[i] + " outside [0, " + (to - from) + ")");
                    }
                    shifted[i] = from + indices[i];
                }
                return source.batch(shifted);
            }

            @Override
            public boolean inMemory() {
                return source.inMemory();
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }

    /**
     * The first samples and the last {@code fraction} of them, before any shuffling, as Keras's
     * {@code validation_split}.
     */
    default IndexedDataset[] splitLast(double fraction) {
        int n = count();
        int cut = (int) Math.floor(n * (1 - fraction));
        if (cut <= 0 || cut >= n) {
            throw new IllegalArgumentException("validation_split " + fraction + " of " + n
                    + " samples leaves an empty part; use more data or another split");
        }
        return new IndexedDataset[] {slice(0, cut), slice(cut, n)};
    }
}
