package org.rnn4j.api.layers;

/**
 * Keras {@code BatchNormalization} over the last axis. Weights {@code gamma}, {@code beta}
 * (trainable) and {@code moving_mean}, {@code moving_variance} (updated in training as
 * {@code moving = moving*momentum + batch*(1-momentum)}).
 */
public record BatchNormalizationSpec(String name, double momentum, double epsilon, boolean center, boolean scale)
        implements LayerSpec {
    public BatchNormalizationSpec {
        LayerSpec.checkName(name);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("batch_normalization.momentum must be in [0, 1), got " + momentum);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("batch_normalization.epsilon must be > 0, got " + epsilon);
        }
    }

    @Override
    public BatchNormalizationSpec withName(String n) {
        return new BatchNormalizationSpec(n, momentum, epsilon, center, scale);
    }

    @Override
    public String typeName() {
        return "BatchNormalization";
    }

    @Override
    public String defaultNamePrefix() {
        return "batch_normalization";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
