package org.rnn4j.api.layers;

/**
 * Keras {@code MaxPooling1D} / {@code AveragePooling1D} along time: the maximum or mean of windows
 * of {@code poolSize} steps moved by {@code strides}. With {@code same} padding the windows at the
 * edges hold fewer steps (padding is never a candidate of the maximum nor counted in the mean), as
 * in TensorFlow.
 */
public record Pooling1DSpec(String name, Pool pool, int poolSize, int strides, Padding padding) implements LayerSpec {

    /** Which reduction. */
    public enum Pool {
        MAX,
        AVERAGE
    }

    public Pooling1DSpec {
        LayerSpec.checkName(name);
        if (pool == null) {
            throw new IllegalArgumentException("pooling needs a kind: max or average");
        }
        LayerSpec.checkPositive(prefix(pool) + ".pool_size", poolSize);
        LayerSpec.checkPositive(prefix(pool) + ".strides", strides);
        if (padding == null || padding == Padding.CAUSAL) {
            throw new IllegalArgumentException(prefix(pool) + ".padding must be valid or same, got " + padding);
        }
    }

    private static String prefix(Pool p) {
        return p == Pool.MAX ? "max_pooling1d" : "average_pooling1d";
    }

    @Override
    public Pooling1DSpec withName(String n) {
        return new Pooling1DSpec(n, pool, poolSize, strides, padding);
    }

    @Override
    public String typeName() {
        return pool == Pool.MAX ? "MaxPooling1D" : "AveragePooling1D";
    }

    @Override
    public String defaultNamePrefix() {
        return prefix(pool);
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
