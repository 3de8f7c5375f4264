package org.rnn4j.api.layers;

/** Keras {@code Flatten}: {@code [batch, time, features]} to {@code [batch, time * features]} (a known time length). */
public record FlattenSpec(String name) implements LayerSpec {
    public FlattenSpec {
        LayerSpec.checkName(name);
    }

    @Override
    public FlattenSpec withName(String n) {
        return new FlattenSpec(n);
    }

    @Override
    public String typeName() {
        return "Flatten";
    }

    @Override
    public String defaultNamePrefix() {
        return "flatten";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
