package org.rnn4j.api.layers;

/**
 * Keras {@code Masking}: a time step whose features all equal {@code maskValue} is masked. Its
 * output is zero there (the input elsewhere), and the mask reaches the layers after it: recurrent
 * layers keep their state and output on masked steps, {@code GlobalAveragePooling1D} averages the
 * unmasked ones. Layers Keras does not let a mask through (Conv1D, pooling, Flatten) drop it.
 */
public record MaskingSpec(String name, double maskValue) implements LayerSpec {
    public MaskingSpec {
        LayerSpec.checkName(name);
        if (!Double.isFinite(maskValue)) {
            throw new IllegalArgumentException("masking.mask_value must be finite, got " + maskValue);
        }
    }

    @Override
    public MaskingSpec withName(String n) {
        return new MaskingSpec(n, maskValue);
    }

    @Override
    public String typeName() {
        return "Masking";
    }

    @Override
    public String defaultNamePrefix() {
        return "masking";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
