package org.rnn4j.data.batch;

import java.util.Objects;
import org.rnn4j.api.tensor.Tensor;

/**
 * One batch of training data: model inputs and targets with the same first (batch) dimension, e.g.
 * inputs {@code [batch, window, features]} and targets {@code [batch, horizon]}.
 */
public record Batch(Tensor inputs, Tensor targets) {
    public Batch {
        Objects.requireNonNull(inputs, "batch.inputs");
        Objects.requireNonNull(targets, "batch.targets");
        if (inputs.rank() == 0 || targets.rank() == 0 || inputs.dim(0) != targets.dim(0)) {
            throw new IllegalArgumentException("batch inputs " + inputs + " and targets " + targets
                    + " must have the same first (batch) dimension");
        }
    }

    /** The number of rows in this batch. */
    public int size() {
        return inputs.dim(0);
    }
}
