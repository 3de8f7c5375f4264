package org.rnn4j.api.layers;

import java.util.Arrays;

/**
 * Element-wise activations with Keras semantics. {@code hard_sigmoid} has two definitions in the
 * wild, kept apart here on purpose: {@link #HARD_SIGMOID} is Keras 3's {@code clip(x/6 + 0.5, 0, 1)},
 * {@link #HARD_SIGMOID_KERAS2} is Keras 2's and TensorFlow.js's {@code clip(0.2x + 0.5, 0, 1)}.
 * Importers of Keras 2 / TensorFlow.js files map their {@code hard_sigmoid} to the latter.
 */
public enum Activation {
    LINEAR("linear"),
    TANH("tanh"),
    SIGMOID("sigmoid"),
    HARD_SIGMOID("hard_sigmoid"),
    HARD_SIGMOID_KERAS2("hard_sigmoid_keras2"),
    RELU("relu"),
    SOFTMAX("softmax"),
    SOFTPLUS("softplus"),
    SOFTSIGN("softsign"),
    EXPONENTIAL("exponential");

    private final String jsonName;

    Activation(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** Parses an rnn4j spec name; unknown names list the known ones. */
    public static Activation fromJson(String name) {
        for (Activation a : values()) {
            if (a.jsonName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; known: "
                + Arrays.stream(values()).map(Activation::jsonName).toList());
    }
}
