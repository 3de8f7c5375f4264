package org.rnn4j.api.layers;

import java.util.Arrays;
import java.util.Locale;

/**
 * Keras's padding of 1-D convolutions and pooling along time. {@code valid}: no padding;
 * {@code same}: zero padding so that the output has {@code ceil(time / strides)} steps (split as
 * TensorFlow does, the extra step on the right); {@code causal} (convolutions only):
 * {@code dilation * (kernel - 1)} zero steps before the sequence, so no output sees the future.
 */
public enum Padding {
    VALID("valid"),
    SAME("same"),
    CAUSAL("causal");

    private final String jsonName;

    Padding(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Padding fromJson(String name) {
        for (Padding p : values()) {
            if (p.jsonName.equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown padding '" + name + "'; known: "
                + Arrays.stream(values()).map(Padding::jsonName).toList());
    }

    /** Output steps of a window of {@code span} steps moved by {@code strides} over {@code steps} (-1 = unknown). */
    public int outputSteps(int steps, int span, int strides) {
        if (steps < 0) {
            return -1;
        }
        return switch (this) {
            case VALID -> steps < span ? 0 : (steps - span) / strides + 1;
            case SAME, CAUSAL -> (steps + strides - 1) / strides;
        };
    }
}
