package org.rnn4j.api.layers;

/**
 * Keras {@code TimeDistributed}: applies a layer to every time step of
 * {@code [batch, time, features]}, each step a {@code [batch, features]} input. rnn4j's inputs have
 * at most three axes, so the wrapped layer is one that takes a vector per step: Dense, Activation,
 * Dropout, LayerNormalization or Flatten. Its weights carry the wrapper's name
 * ({@code time_distributed/kernel}), as in Keras 2 and TensorFlow.js files.
 */
public record TimeDistributedSpec(String name, LayerSpec layer) implements LayerSpec {
    public TimeDistributedSpec {
        LayerSpec.checkName(name);
        if (layer == null) {
            throw new IllegalArgumentException("time_distributed.layer must be given");
        }
        if (!(layer instanceof DenseSpec
                || layer instanceof ActivationSpec
                || layer instanceof DropoutSpec
                || layer instanceof LayerNormalizationSpec
                || layer instanceof FlattenSpec)) {
            throw new IllegalArgumentException("TimeDistributed gives its layer one time step, [batch, features]; "
                    + layer.typeName() + " needs more axes than that (rnn4j models take at most [batch, time,"
                    + " features]). TimeDistributed wraps Dense, Activation, Dropout, LayerNormalization or Flatten"
                    + (layer instanceof BatchNormalizationSpec
                            ? "; BatchNormalization on [batch, time, features] already normalizes every step alike"
                            : ""));
        }
        // The wrapped layer's own name names nothing: its weights carry the wrapper's.
        layer = layer.name() == null ? layer : layer.withName(null);
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
