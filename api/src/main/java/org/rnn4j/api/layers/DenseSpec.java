package org.rnn4j.api.layers;

/** Keras {@code Dense} on the last axis: {@code [..., in]} to {@code [..., units]}, {@code act(x.W + b)}. */
public record DenseSpec(
        String name,
        int units,
        Activation activation,
        boolean useBias,
        Initializer kernelInitializer,
        Initializer biasInitializer)
        implements LayerSpec {
    public DenseSpec {
        LayerSpec.checkName(name);
        LayerSpec.checkPositive("dense.units", units);
        if (activation == null || kernelInitializer == null || biasInitializer == null) {
            throw new IllegalArgumentException("dense.activation and initializers must not be null");
        }
    }

    @Override
    public DenseSpec withName(String n) {
        return new DenseSpec(n, units, activation, useBias, kernelInitializer, biasInitializer);
    }

    public DenseSpec activation(Activation a) {
        return new DenseSpec(name, units, a, useBias, kernelInitializer, biasInitializer);
    }

    public DenseSpec useBias(boolean b) {
        return new DenseSpec(name, units, activation, b, kernelInitializer, biasInitializer);
    }

    @Override
    public String typeName() {
        return "Dense";
    }

    @Override
    public String defaultNamePrefix() {
        return "dense";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
