package org.rnn4j.api.layers;

/**
 * Keras {@code TimeDistributed}: applies a Dense layer to every time step of
 * {@code [batch, time, features]}. Its weights carry the wrapper's name
 * ({@code time_distributed/kernel}), as in Keras and TensorFlow.js files.
 */
public record TimeDistributedSpec(String name, DenseSpec layer) implements LayerSpec {
    public TimeDistributedSpec {
        LayerSpec.checkName(name);
        if (layer == null) {
            throw new IllegalArgumentException("time_distributed.layer must be a Dense layer");
        }
    }

    @Override
    public TimeDistributedSpec withName(String n) {
        return new TimeDistributedSpec(n, layer);
    }

    @Override
    public String typeName() {
        return "TimeDistributed";
    }

    @Override
    public String defaultNamePrefix() {
        return "time_distributed";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
