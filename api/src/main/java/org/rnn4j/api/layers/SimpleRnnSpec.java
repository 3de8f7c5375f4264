package org.rnn4j.api.layers;

/** Keras {@code SimpleRNN}: {@code h = act(x.W + h'.U + b)}. */
public record SimpleRnnSpec(String name, int units, RecurrentOptions options) implements RecurrentSpec {
    public SimpleRnnSpec {
        LayerSpec.checkName(name);
        LayerSpec.checkPositive("simple_rnn.units", units);
        if (options == null) {
            throw new IllegalArgumentException("simple_rnn.options must not be null");
        }
    }

    @Override
    public SimpleRnnSpec withOptions(RecurrentOptions o) {
        return new SimpleRnnSpec(name, units, o);
    }

    @Override
    public SimpleRnnSpec withName(String n) {
        return new SimpleRnnSpec(n, units, options);
    }

    @Override
    public int gateCount() {
        return 1;
    }

    @Override
    public String typeName() {
        return "SimpleRNN";
    }

    @Override
    public String defaultNamePrefix() {
        return "simple_rnn";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
