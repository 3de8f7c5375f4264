package org.rnn4j.api.graph;

import java.util.List;

/**
 * A dropout mask the training graph reads as an input. The api draws it from the seed (values 0
 * or {@code 1/(1-rate)}), so both engines apply the very same masks.
 *
 * @param shape the mask shape without the batch axis
 */
public record NoiseSpec(String name, double rate, List<Integer> shape) {
    public NoiseSpec {
        shape = List.copyOf(shape);
    }

    public int[] shapeWithBatch(int batch) {
        int[] s = new int[shape.size() + 1];
        s[0] = batch;
        for (int i = 0; i < shape.size(); i++) {
            s[i + 1] = shape.get(i);
        }
        return s;
    }
}
