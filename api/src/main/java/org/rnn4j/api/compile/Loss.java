package org.rnn4j.api.compile;

import java.util.Arrays;
import java.util.List;

/**
 * Keras losses, reduced as Keras does: per-sample values averaged over the last axis (or summed
 * over classes for cross-entropies), then the mean over every remaining axis (batch, and time for
 * sequence outputs). Probabilities are clipped to {@code [1e-7, 1 - 1e-7]} before logs.
 */
public enum Loss {
    MEAN_SQUARED_ERROR("mean_squared_error", "mse"),
    MEAN_ABSOLUTE_ERROR("mean_absolute_error", "mae"),
    HUBER("huber", "huber_loss"),
    BINARY_CROSSENTROPY("binary_crossentropy", "bce"),
    CATEGORICAL_CROSSENTROPY("categorical_crossentropy", "cce"),
    SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy", "scce");

    /** Keras's epsilon for clipping probabilities. */
    public static final float EPSILON = 1e-7f;

    private final String jsonName;
    private final String alias;

    Loss(String jsonName, String alias) {
        this.jsonName = jsonName;
        this.alias = alias;
    }

    public String jsonName() {
        return jsonName;
    }

    /** True when targets are int class ids ({@code [batch]} or {@code [batch, time]}) rather than the output's shape. */
    public boolean sparseTargets() {
        return this == SPARSE_CATEGORICAL_CROSSENTROPY;
    }

    /** Accepts Keras's names, short aliases and TensorFlow.js camelCase names. */
    public static Loss fromJson(String name) {
        String n = name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
        for (Loss l : values()) {
            if (l.jsonName.equals(n) || l.alias.equals(n)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "'; known: " + names());
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Loss::jsonName).toList();
    }
}
