package org.rnn4j.api.layers;

/**
 * Keras {@code Conv1D} on {@code [batch, time, channels]} (channels last): kernel
 * {@code [kernelSize, channels, filters]}, bias {@code [filters]};
 * {@code y[t] = act(b + sum_j x[t*strides + j*dilation] . kernel[j])} over the padded input
 * ({@link Padding}). Keras does not combine strides and dilation above 1.
 */
public record Conv1DSpec(
        String name,
        int filters,
        int kernelSize,
        int strides,
        Padding padding,
        int dilationRate,
        Activation activation,
        boolean useBias,
        Initializer kernelInitializer,
        Initializer biasInitializer,
        WeightRules rules)
        implements LayerSpec {
    public Conv1DSpec {
        LayerSpec.checkName(name);
        LayerSpec.checkPositive("conv1d.filters", filters);
        LayerSpec.checkPositive("conv1d.kernel_size", kernelSize);
        LayerSpec.checkPositive("conv1d.strides", strides);
        LayerSpec.checkPositive("conv1d.dilation_rate", dilationRate);
        if (strides > 1 && dilationRate > 1) {
            throw new IllegalArgumentException("conv1d.strides " + strides + " and dilation_rate " + dilationRate
                    + " cannot both be above 1 (Keras refuses it too)");
        }
        if (padding == null || activation == null || kernelInitializer == null || biasInitializer == null) {
            throw new IllegalArgumentException("conv1d.padding, activation and initializers must not be null");
        }
        rules = rules == null ? WeightRules.NONE : rules;
        rules.requireNoRecurrent("conv1d");
        if (!useBias && (rules.biasRegularizer() != null || rules.biasConstraint() != null)) {
            throw new IllegalArgumentException("conv1d has bias_regularizer / bias_constraint but use_bias is false");
        }
    }

    /** The steps one output reads: {@code dilation * (kernel - 1) + 1}. */
    public int span() {
        return dilationRate * (kernelSize - 1) + 1;
    }

    public Conv1DSpec withPadding(Padding p) {
        return new Conv1DSpec(
                name,
                filters,
                kernelSize,
                strides,
                p,
                dilationRate,
                activation,
                useBias,
                kernelInitializer,
                biasInitializer,
                rules);
    }

    public Conv1DSpec withStrides(int s) {
        return new Conv1DSpec(
                name,
                filters,
                kernelSize,
                s,
                padding,
                dilationRate,
                activation,
                useBias,
                kernelInitializer,
                biasInitializer,
                rules);
    }

    public Conv1DSpec withDilationRate(int d) {
        return new Conv1DSpec(
                name,
                filters,
                kernelSize,
                strides,
                padding,
                d,
                activation,
                useBias,
                kernelInitializer,
                biasInitializer,
                rules);
    }

    public Conv1DSpec activation(Activation a) {
        return new Conv1DSpec(
                name,
                filters,
                kernelSize,
                strides,
                padding,
                dilationRate,
                a,
                useBias,
                kernelInitializer,
                biasInitializer,
                rules);
    }

    public Conv1DSpec useBias(boolean b) {
        return new Conv1DSpec(
                name,
                filters,
                kernelSize,
                strides,
                padding,
                dilationRate,
                activation,
                b,
                kernelInitializer,
                biasInitializer,
                rules);
    }

    public Conv1DSpec withRules(WeightRules r) {
        return new Conv1DSpec(
                name,
                filters,
                kernelSize,
                strides,
                padding,
                dilationRate,
                activation,
                useBias,
                kernelInitializer,
                biasInitializer,
                r);
    }

    @Override
    public Conv1DSpec withName(String n) {
        return new Conv1DSpec(
                n,
                filters,
                kernelSize,
                strides,
                padding,
                dilationRate,
                activation,
                useBias,
                kernelInitializer,
                biasInitializer,
                rules);
    }

    @Override
    public String typeName() {
        return "Conv1D";
    }

    @Override
    public String defaultNamePrefix() {
        return "conv1d";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
