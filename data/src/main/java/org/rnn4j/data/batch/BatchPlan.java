package org.rnn4j.data.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.api.tensor.Tensor;

/**
 * An order of row indices cut into batches of {@code batchSize}; the last batch holds the remainder
 * and may be smaller, as in Keras {@code fit}. Immutable.
 */
public final class BatchPlan {
    private final int[] order;
    private final int batchSize;

    private BatchPlan(int[] order, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        for (int i = 0; i < order.length; i++) {
            if (order[i] < 0) {
                throw new IllegalArgumentException(
                        "batch order holds the negative row index " + order[i] + " at position " + i);
            }
        }
        this.order = order;
        this.batchSize = batchSize;
    }

    /** Rows in the given order (copied). */
    public static BatchPlan of(int[] order, int batchSize) {
        return new BatchPlan(order.clone(), batchSize);
    }

    /** Rows {@code 0 .. size-1} in order, e.g. for prediction or validation. */
    public static BatchPlan sequential(int size, int batchSize) {
        if (size < 0) {
            throw new IllegalArgumentException("batch plan size must be >= 0, got " + size);
        }
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        return new BatchPlan(order, batchSize);
    }

    /** Rows {@code 0 .. size-1} shuffled for {@code epoch} by {@link EpochShuffle} with {@code seed}. */
    public static BatchPlan shuffled(int size, int batchSize, long seed, int epoch) {
        return new BatchPlan(new EpochShuffle(seed).order(size, epoch), batchSize);
    }

    /** The number of row indices in the plan. */
    public int size() {
        return order.length;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The number of batches: {@code ceil(size / batchSize)}. */
    public int count() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /** A copy of the whole row order. */
    public int[] order() {
        return order.clone();
    }

    /** The row indices of batch {@code batch} (0-based), a copy. */
    public int[] rows(int batch) {
        if (batch < 0 || batch >= count()) {
            throw new IllegalArgumentException("batch index must be in [0, " + count() + "), got " + batch);
        }
        int from = batch * batchSize;
        return Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
    }

    /** Batch {@code batch} of {@code tensor}: its rows (first axis) in plan order. */
    public Tensor take(Tensor tensor, int batch) {
        int[] rows = rows(batch);
        int n = tensor.rank() == 0 ? 0 : tensor.dim(0);
        for (int r : rows) {
            if (r >= n) {
                throw new IllegalArgumentException("batch plan refers to row " + r + " but the tensor " + tensor
                        + " has " + n + " rows; build the plan for this tensor's first dimension");
            }
        }
        return tensor.gatherRows(rows);
    }

    /** All batches of {@code tensor} in plan order. */
    public List<Tensor> cut(Tensor tensor) {
        List<Tensor> out = new ArrayList<>(count());
        for (int b = 0; b < count(); b++) {
            out.add(take(tensor, b));
        }
        return out;
    }

    @Override
    public String toString() {
        return "BatchPlan[" + order.length + " rows, batchSize " + batchSize + ", " + count() + " batches]";
    }
}
