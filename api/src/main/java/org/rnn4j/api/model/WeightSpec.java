package org.rnn4j.api.model;

import java.util.Arrays;
import java.util.List;
import org.rnn4j.api.layers.Constraint;
import org.rnn4j.api.layers.Initializer;
import org.rnn4j.api.layers.Regularizer;
import org.rnn4j.api.tensor.Tensor;

/**
 * One weight tensor of a model, named and shaped as Keras names and shapes it
 * ({@code lstm/kernel [in, 4u]}). Non-trainable weights (BatchNormalization's moving statistics)
 * are updated by the forward pass in training, not by the optimizer.
 *
 * @param forgetBiasUnits for an LSTM bias with {@code unit_forget_bias}: the units whose forget
 *                        block (the second of four) starts at 1; 0 otherwise
 * @param regularizer     the penalty on this weight added to the training loss, or null
 * @param constraint      applied after every optimizer update, or null
 */
public record WeightSpec(
        String name,
        List<Integer> shape,
        boolean trainable,
        Initializer initializer,
        int forgetBiasUnits,
        Regularizer regularizer,
        Constraint constraint) {
    public WeightSpec {
        shape = List.copyOf(shape);
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("weight " + name + " has a non-positive dimension: " + shape);
            }
        }
    }

    /** A weight without regularizer or constraint. */
    public WeightSpec(
            String name, List<Integer> shape, boolean trainable, Initializer initializer, int forgetBiasUnits) {
        this(name, shape, trainable, initializer, forgetBiasUnits, null, null);
    }

    public int[] shapeArray() {
        return shape.stream().mapToInt(Integer::intValue).toArray();
    }

    public long size() {
        return Tensor.size(shapeArray());
    }

    /** The part of the name after the layer ({@code kernel}, {@code forward_lstm/bias}). */
    public String localName() {
        return name.substring(name.indexOf('/') + 1);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shapeArray());
    }
}
