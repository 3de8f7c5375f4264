package org.rnn4j.api.layers;

/** Keras {@code RepeatVector}: {@code [batch, features]} to {@code [batch, n, features]}, the input repeated n times. */
public record RepeatVectorSpec(String name, int n) implements LayerSpec {
    public RepeatVectorSpec {
        LayerSpec.checkName(name);
        LayerSpec.checkPositive("repeat_vector.n", n);
    }

    @Override
    public RepeatVectorSpec withName(String name) {
        return new RepeatVectorSpec(name, n);
    }

    @Override
    public String typeName() {
        return "RepeatVector";
    }

    @Override
    public String defaultNamePrefix() {
        return "repeat_vector";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
