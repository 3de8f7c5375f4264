package org.rnn4j.data.batch;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A dataset of {@link #size()} rows that builds any batch on demand from row indices, so a training
 * loop never needs all rows as one tensor at once.
 */
public interface BatchSource {

    /** The number of rows (examples). */
    int size();

    /**
     * Builds the batch holding {@code rows}, in that order.
     *
     * @param rows row indices in {@code [0, size())}, any order, repeats allowed
     */
    Batch batch(int[] rows);

    /**
     * The batches of {@code plan}, each built only when the iterator reaches it; a batch that the
     * caller drops can be collected before the next one is built.
     */
    default Iterable<Batch> batches(BatchPlan plan) {
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < plan.count();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("all " + plan.count() + " batches have been returned");
                }
                return batch(plan.rows(next++));
            }
        };
    }
}
