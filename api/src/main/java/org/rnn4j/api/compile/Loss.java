package org.rnn4j.api.compile;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Keras losses, reduced as Keras does ({@code sum_over_batch_size}): a per-sample value over the
 * last axis (a mean, or a sum over classes for cross-entropies and KL divergence), then the mean
 * over every remaining axis (batch, and time for sequence outputs). Probabilities are clipped to
 * {@code [1e-7, 1 - 1e-7]} before logs. Options ({@code from_logits}, {@code label_smoothing},
 * Huber's {@code delta}) are {@link LossOptions}.
 */
public enum Loss {
    MEAN_SQUARED_ERROR("mean_squared_error", "mse"),
    MEAN_ABSOLUTE_ERROR("mean_absolute_error", "mae"),
    HUBER("huber", "huber_loss"),
    BINARY_CROSSENTROPY("binary_crossentropy", "bce"),
    CATEGORICAL_CROSSENTROPY("categorical_crossentropy", "cce"),
    SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy", "scce"),
    MEAN_SQUARED_LOGARITHMIC_ERROR("mean_squared_logarithmic_error", "msle"),
    MEAN_ABSOLUTE_PERCENTAGE_ERROR("mean_absolute_percentage_error", "mape"),
    LOG_COSH("log_cosh", "logcosh"),
    KL_DIVERGENCE("kl_divergence", "kld", "kullback_leibler_divergence", "kldivergence"),
    POISSON("poisson"),
    HINGE("hinge"),
    SQUARED_HINGE("squared_hinge"),
    CATEGORICAL_HINGE("categorical_hinge"),
    COSINE_SIMILARITY("cosine_similarity", "cosine_proximity");

    /** Keras's epsilon for clipping probabilities. */
    public static final float EPSILON = 1e-7f;

    private final String jsonName;
    private final List<String> aliases;

    Loss(String jsonName, String... aliases) {
        this.jsonName = jsonName;
        this.aliases = List.of(aliases);
    }

    public String jsonName() {
        return jsonName;
    }

    /** True when targets are int class ids ({@code [batch]} or {@code [batch, time]}) rather than the output's shape. */
    public boolean sparseTargets() {
        return this == SPARSE_CATEGORICAL_CROSSENTROPY;
    }

    /** The cross-entropies, which take {@code from_logits}. */
    public boolean takesLogits() {
        return this == BINARY_CROSSENTROPY
                || this == CATEGORICAL_CROSSENTROPY
                || this == SPARSE_CATEGORICAL_CROSSENTROPY;
    }

    /** The losses with Keras's {@code label_smoothing}. */
    public boolean takesLabelSmoothing() {
        return this == BINARY_CROSSENTROPY || this == CATEGORICAL_CROSSENTROPY;
    }

    /**
     * Keras's hinge losses read 0/1 labels as -1/1 when every label of the batch is 0 or 1; the
     * api converts such targets before the engine sees them ({@link #hingeTargets}).
     */
    public boolean convertsBinaryLabels() {
        return this == HINGE || this == SQUARED_HINGE;
    }

    /** Accepts Keras's names, short aliases and TensorFlow.js camelCase names. */
    public static Loss fromJson(String name) {
        String n = name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        for (Loss l : values()) {
            if (l.jsonName.equals(n) || l.aliases.contains(n)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "'; known: " + names());
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Loss::jsonName).toList();
    }

    /**
     * Keras's {@code convert_binary_labels_to_hinge} for one batch: {@code 2y - 1} when every value
     * is 0 or 1, else the values unchanged.
     */
    public static float[] hingeTargets(float[] y) {
        for (float v : y) {
            if (v != 0f && v != 1f) {
                return y;
            }
        }
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = 2f * y[i] - 1f;
        }
        return out;
    }
}
