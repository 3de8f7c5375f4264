package org.rnn4j.api.data;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Another dataset's samples, saying it is in memory (or not), and recording the names of the
 * threads that made its batches: where {@code Prefetch} and {@code Model} make batches.
 */
final class RecordingDataset implements IndexedDataset {
    private final IndexedDataset rows;
    private final boolean inMemory;
    final Set<String> makers = ConcurrentHashMap.newKeySet();

    RecordingDataset(IndexedDataset rows, boolean inMemory) {
        this.rows = rows;
        this.inMemory = inMemory;
    }

    @Override
    public int count() {
        return rows.count();
    }

    @Override
    public Batch batch(int[] indices) {
        makers.add(Thread.currentThread().getName());
        return rows.batch(indices);
    }

    @Override
    public boolean inMemory() {
        return inMemory;
    }
}
