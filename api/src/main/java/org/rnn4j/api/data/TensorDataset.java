package org.rnn4j.api.data;

import java.util.Objects;
import org.rnn4j.api.tensor.Tensor;

/**
 * In-memory samples: inputs {@code x} and targets {@code y} (or none, for prediction) with the
 * same first dimension, and optionally Keras's {@code sample_weight} (gathered with the same rows,
 * so weights never change the batch order). Batches are gathered rows; the shuffle is always the array permutation of
 * {@link SampleOrder#permutation}.
 */
public final class TensorDataset implements IndexedDataset {
    private final Tensor x;
    private final Tensor y;
    private final Tensor sampleWeight;

    private TensorDataset(Tensor x, Tensor y, Tensor sampleWeight) {
        Objects.requireNonNull(x, "x");
        if (x.rank() == 0) {
            throw new IllegalArgumentException("x must have a sample dimension, got a scalar");
        }
        if (y != null && (y.rank() == 0 || x.dim(0) != y.dim(0))) {
            throw new IllegalArgumentException("x has " + x.dim(0) + " samples but y has "
                    + (y.rank() == 0 ? "none" : y.dim(0)) + "; they must match");
        }
        if (x.dim(0) == 0) {
            throw new IllegalArgumentException("the dataset is empty; give at least one sample");
        }
        if (sampleWeight != null) {
            if (y == null) {
                throw new IllegalArgumentException("sample_weight weighs the loss; give targets with it");
            }
            Batch.checkSampleWeight(sampleWeight, x.dim(0));
        }
        this.x = x;
        this.y = y;
        this.sampleWeight = sampleWeight;
    }

    /** Inputs and targets with the same number of samples. */
    public static TensorDataset of(Tensor x, Tensor y) {
        return new TensorDataset(x, Objects.requireNonNull(y, "y"), null);
    }

    /**
     * Inputs, targets and Keras's {@code sample_weight}: one weight per sample ({@code [n]}) or per
     * sample and step ({@code [n, time]}, for sequence outputs); {@code null} for none.
     */
    public static TensorDataset of(Tensor x, Tensor y, Tensor sampleWeight) {
        return new TensorDataset(x, Objects.requireNonNull(y, "y"), sampleWeight);
    }

    /** Inputs only, for prediction. */
    public static TensorDataset inputs(Tensor x) {
        return new TensorDataset(x, null, null);
    }

    public Tensor x() {
        return x;
    }

    /** The targets, or {@code null} for inputs only. */
    public Tensor y() {
        return y;
    }

    /** The sample weights, or {@code null} when every sample weighs the same. */
    public Tensor sampleWeight() {
        return sampleWeight;
    }

    /** These samples with {@code w} as their weights ({@code null} for none). */
    public TensorDataset withSampleWeight(Tensor w) {
        return new TensorDataset(x, y, w);
    }

    @Override
    public int count() {
        return x.dim(0);
    }

    /** Always: a batch gathers rows of tensors in memory. */
    @Override
    public boolean inMemory() {
        return true;
    }

    @Override
    public SampleOrder order(EpochPlan plan) {
        return SampleOrder.permutation(count(), plan);
    }

    @Override
    public Batch batch(int[] indices) {
        return new Batch(
                x.gatherRows(indices),
                y == null ? null : y.gatherRows(indices),
                sampleWeight == null ? null : sampleWeight.gatherRows(indices));
    }

    /** Rows {@code [from, to)}, copied into tensors of their own. */
    @Override
    public TensorDataset slice(int from, int to) {
        if (from < 0 || to <= from || to > count()) {
            throw new IllegalArgumentException(
                    "slice [" + from + ", " + to + ") is outside the " + count() + " samples or empty");
        }
        return new TensorDataset(
                x.sliceRows(from, to),
                y == null ? null : y.sliceRows(from, to),
                sampleWeight == null ? null : sampleWeight.sliceRows(from, to));
    }

    @Override
    public TensorDataset[] splitLast(double fraction) {
        IndexedDataset[] parts = IndexedDataset.super.splitLast(fraction);
        return new TensorDataset[] {(TensorDataset) parts[0], (TensorDataset) parts[1]};
    }

    @Override
    public String toString() {
        return "TensorDataset[x " + x + (y == null ? "" : ", y " + y)
                + (sampleWeight == null ? "" : ", sample_weight " + sampleWeight) + "]";
    }
}
