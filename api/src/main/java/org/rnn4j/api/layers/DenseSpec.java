package org.rnn4j.api.layers;

/**
 * Keras {@code Dense} on the last axis: {@code [..., in]} to {@code [..., units]}, {@code act(x.W + b)}.
 *
 * @param rules kernel and bias regularizers and constraints, and the activity regularizer
 */
public record DenseSpec(
        String name,
        int units,
        Activation activation,
        boolean useBias,
        Initializer kernelInitializer,
        Initializer biasInitializer,
        WeightRules rules)
        implements LayerSpec {
    public DenseSpec {
        LayerSpec.checkName(name);
        LayerSpec.checkPositive("dense.units", units);
        if (activation == null || kernelInitializer == null || biasInitializer == null) {
            throw new IllegalArgumentException("dense.activation and initializers must not be null");
        }
        rules = rules == null ? WeightRules.NONE : rules;
        rules.requireNoRecurrent("dense");
        if (!useBias && (rules.biasRegularizer() != null || rules.biasConstraint() != null)) {
            throw new IllegalArgumentException("dense has bias_regularizer / bias_constraint but use_bias is false");
        }
    }

    /** A Dense layer without regularizers or constraints. */
    public DenseSpec(
            String name,
            int units,
            Activation activation,
            boolean useBias,
            Initializer kernelInitializer,
            Initializer biasInitializer) {
        this(name, units, activation, useBias, kernelInitializer, biasInitializer, WeightRules.NONE);
    }

    @Override
    public DenseSpec withName(String n) {
        return new DenseSpec(n, units, activation, useBias, kernelInitializer, biasInitializer, rules);
    }

    public DenseSpec activation(Activation a) {
        return new DenseSpec(name, units, a, useBias, kernelInitializer, biasInitializer, rules);
    }

    public DenseSpec useBias(boolean b) {
        return new DenseSpec(name, units, activation, b, kernelInitializer, biasInitializer, rules);
    }

    public DenseSpec withRules(WeightRules r) {
        return new DenseSpec(name, units, activation, useBias, kernelInitializer, biasInitializer, r);
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
