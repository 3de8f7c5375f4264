package org.rnn4j.api.layers;

/**
 * Keras {@code LayerNormalization} over the last axis, per sample and step:
 * {@code inv = gamma / sqrt(var + eps); y = x*inv + (beta - mean*inv)} (Keras 3's op order).
 * Weights {@code gamma} then {@code beta}, each {@code [features]}.
 */
public record LayerNormalizationSpec(String name, double epsilon, boolean center, boolean scale) implements LayerSpec {
    public LayerNormalizationSpec {
        LayerSpec.checkName(name);
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("layer_normalization.epsilon must be > 0, got " + epsilon);
        }
    }

    @Override
    public LayerNormalizationSpec withName(String n) {
        return new LayerNormalizationSpec(n, epsilon, center, scale);
    }

    @Override
    public String typeName() {
        return "LayerNormalization";
    }

    @Override
    public String defaultNamePrefix() {
        return "layer_normalization";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
