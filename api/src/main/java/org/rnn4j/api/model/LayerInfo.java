package org.rnn4j.api.model;

import java.util.List;
import org.rnn4j.api.layers.LayerSpec;

/**
 * A layer as placed in a built model: its final name, the shape it receives and the shape it
 * produces (without the batch axis; -1 for an unknown length), whether a padding mask reaches
 * it, and its weights.
 */
public record LayerInfo(
        LayerSpec layer,
        String name,
        List<Integer> inputShape,
        List<Integer> outputShape,
        boolean masked,
        List<WeightSpec> weights) {
    public LayerInfo {
        inputShape = List.copyOf(inputShape);
        outputShape = List.copyOf(outputShape);
        weights = List.copyOf(weights);
    }

    public long parameterCount() {
        return weights.stream().mapToLong(WeightSpec::size).sum();
    }

    /** Keras's output-shape text: {@code (None, 50, 10)}. */
    public String outputShapeText() {
        StringBuilder sb = new StringBuilder("(None");
        for (int d : outputShape) {
            sb.append(", ").append(d < 0 ? "None" : Integer.toString(d));
        }
        return sb.append(')').toString();
    }
}
