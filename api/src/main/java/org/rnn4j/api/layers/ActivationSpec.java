package org.rnn4j.api.layers;

/** Keras {@code Activation}: an element-wise activation (softmax over the last axis) as a layer of its own. */
public record ActivationSpec(String name, Activation activation) implements LayerSpec {
    public ActivationSpec {
        LayerSpec.checkName(name);
        if (activation == null) {
            throw new IllegalArgumentException("activation.activation must not be null");
        }
    }

    @Override
    public ActivationSpec withName(String n) {
        return new ActivationSpec(n, activation);
    }

    @Override
    public String typeName() {
        return "Activation";
    }

    @Override
    public String defaultNamePrefix() {
        return "activation";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
