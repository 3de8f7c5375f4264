package org.rnn4j.api.data;

import java.util.Objects;
import org.rnn4j.api.tensor.Tensor;

/**
 * One batch: inputs {@code x} ({@code [batch, time, features]} floats or {@code [batch, time]}
 * token ids) and targets {@code y} with the same first dimension, or no targets ({@code null}) for
 * data that is only predicted on.
 *
 * <p>More per-sample parts (per-sample weights) will be further components with {@code null} for
 * "absent"; the two-argument constructor stays, so code that makes batches keeps compiling.
 */
public record Batch(Tensor x, Tensor y) {
    public Batch {
        Objects.requireNonNull(x, "batch.x");
        if (x.rank() == 0) {
            throw new IllegalArgumentException("batch.x must have a batch dimension, got a scalar");
        }
        if (y != null && (y.rank() == 0 || y.dim(0) != x.dim(0))) {
            throw new IllegalArgumentException(
                    "batch x " + x + " and y " + y + " must have the same first (batch) dimension");
        }
    }

    /** Inputs only, for prediction. */
    public static Batch inputs(Tensor x) {
        return new Batch(x, null);
    }

    /** The number of samples. */
    public int size() {
        return x.dim(0);
    }

    public boolean hasTargets() {
        return y != null;
    }
}
