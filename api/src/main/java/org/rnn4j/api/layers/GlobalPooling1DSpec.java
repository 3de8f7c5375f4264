package org.rnn4j.api.layers;

/**
 * Keras {@code GlobalAveragePooling1D} / {@code GlobalMaxPooling1D}: {@code [batch, time, channels]}
 * to {@code [batch, channels]} ({@code [batch, 1, channels]} with {@code keepdims}). The average
 * reads the padding mask as Keras 3 does (the mean of the unmasked steps); the maximum, as in Keras
 * 3, does not use the mask: it is over every step.
 */
public record GlobalPooling1DSpec(String name, Pooling1DSpec.Pool pool, boolean keepdims) implements LayerSpec {
    public GlobalPooling1DSpec {
        LayerSpec.checkName(name);
        if (pool == null) {
            throw new IllegalArgumentException("global pooling needs a kind: max or average");
        }
    }

    @Override
    public GlobalPooling1DSpec withName(String n) {
        return new GlobalPooling1DSpec(n, pool, keepdims);
    }

    @Override
    public String typeName() {
        return pool == Pooling1DSpec.Pool.MAX ? "GlobalMaxPooling1D" : "GlobalAveragePooling1D";
    }

    @Override
    public String defaultNamePrefix() {
        return pool == Pooling1DSpec.Pool.MAX ? "global_max_pooling1d" : "global_average_pooling1d";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
