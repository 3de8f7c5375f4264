package org.rnn4j.api.layers;

/** Keras {@code Dropout}: in training, zeroes a fraction {@code rate} of values and scales the rest by {@code 1/(1-rate)}; identity in inference. */
public record DropoutSpec(String name, double rate) implements LayerSpec {
    public DropoutSpec {
        LayerSpec.checkName(name);
        RecurrentOptions.checkRate("dropout.rate", rate);
    }

    @Override
    public DropoutSpec withName(String n) {
        return new DropoutSpec(n, rate);
    }

    @Override
    public String typeName() {
        return "Dropout";
    }

    @Override
    public String defaultNamePrefix() {
        return "dropout";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
