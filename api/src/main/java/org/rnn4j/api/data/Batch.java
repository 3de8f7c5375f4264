package org.rnn4j.api.data;

import java.util.Arrays;
import java.util.Objects;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;

/**
 * One batch: inputs {@code x} ({@code [batch, time, features]} floats or {@code [batch, time]}
 * token ids) and targets {@code y} with the same first dimension, or no targets ({@code null}) for
 * data that is only predicted on; optionally Keras's {@code sample_weight} for its samples.
 *
 * @param sampleWeight one float32 weight per sample ({@code [batch]}) or per sample and step
 *                     ({@code [batch, time]}, for sequence outputs), or {@code null}: every sample
 *                     weighs the same
 */
public record Batch(Tensor x, Tensor y, Tensor sampleWeight) {
    public Batch {
        Objects.requireNonNull(x, "batch.x");
        if (x.rank() == 0) {
            throw new IllegalArgumentException("batch.x must have a batch dimension, got a scalar");
        }
        if (y != null && (y.rank() == 0 || y.dim(0) != x.dim(0))) {
            throw new IllegalArgumentException(
                    "batch x " + x + " and y " + y + " must have the same first (batch) dimension");
        }
        if (sampleWeight != null) {
            checkSampleWeight(sampleWeight, x.dim(0));
        }
    }

    /** Inputs and targets, every sample weighing the same. */
    public Batch(Tensor x, Tensor y) {
        this(x, y, null);
    }

    /** Inputs only, for prediction. */
    public static Batch inputs(Tensor x) {
        return new Batch(x, null, null);
    }

    /** The number of samples. */
    public int size() {
        return x.dim(0);
    }

    public boolean hasTargets() {
        return y != null;
    }

    /** This batch with {@code w} as its sample weights ({@code null} for none). */
    public Batch withSampleWeight(Tensor w) {
        return new Batch(x, y, w);
    }

    /**
     * Refuses sample weights that are not float32 {@code [n]} or {@code [n, time]}, or that hold a
     * negative or non-finite weight.
     */
    public static void checkSampleWeight(Tensor w, int n) {
        if (w.rank() < 1 || w.rank() > 2 || w.dim(0) != n) {
            throw new IllegalArgumentException("sample_weight has shape " + Arrays.toString(w.shape()) + " but x has "
                    + n + " samples; give [" + n + "] (one weight per sample) or [" + n
                    + ", time] (per step, for sequence outputs)");
        }
        if (w.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(
                    "sample_weight must be float32, got " + w.dtype().jsonName());
        }
        float[] v = w.floatView();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i]) || v[i] < 0) {
                throw new IllegalArgumentException(
                        "sample_weight holds " + v[i] + " at position " + i + "; weights must be finite and >= 0");
            }
        }
    }
}
