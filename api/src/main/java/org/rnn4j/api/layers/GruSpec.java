package org.rnn4j.api.layers;

/**
 * Keras {@code GRU}, gate blocks z, r, h; {@code h = z*h' + (1-z)*hh}.
 *
 * @param resetAfter Keras 3 default {@code true}: bias {@code [2, 3u]} and the reset gate applied
 *                   after the recurrent matmul; {@code false}: bias {@code [3u]}, reset before it
 */
public record GruSpec(String name, int units, RecurrentOptions options, boolean resetAfter) implements RecurrentSpec {
    public GruSpec {
        LayerSpec.checkName(name);
        LayerSpec.checkPositive("gru.units", units);
        if (options == null) {
            throw new IllegalArgumentException("gru.options must not be null");
        }
    }

    @Override
    public GruSpec withOptions(RecurrentOptions o) {
        return new GruSpec(name, units, o, resetAfter);
    }

    @Override
    public GruSpec withName(String n) {
        return new GruSpec(n, units, options, resetAfter);
    }

    public GruSpec resetAfter(boolean value) {
        return new GruSpec(name, units, options, value);
    }

    @Override
    public int gateCount() {
        return 3;
    }

    @Override
    public String typeName() {
        return "GRU";
    }

    @Override
    public String defaultNamePrefix() {
        return "gru";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
