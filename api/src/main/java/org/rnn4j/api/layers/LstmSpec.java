package org.rnn4j.api.layers;

/**
 * Keras {@code LSTM}, gate blocks in the order i, f, c, o:
 * {@code c = f*c' + i*act(z_c)}, {@code h = o*act(c)}.
 *
 * @param unitForgetBias add 1 to the forget-gate bias at initialization (Keras default true)
 */
public record LstmSpec(String name, int units, RecurrentOptions options, boolean unitForgetBias)
        implements RecurrentSpec {
    public LstmSpec {
        LayerSpec.checkName(name);
        LayerSpec.checkPositive("lstm.units", units);
        if (options == null) {
            throw new IllegalArgumentException("lstm.options must not be null");
        }
    }

    @Override
    public LstmSpec withOptions(RecurrentOptions o) {
        return new LstmSpec(name, units, o, unitForgetBias);
    }

    @Override
    public LstmSpec withName(String n) {
        return new LstmSpec(n, units, options, unitForgetBias);
    }

    public LstmSpec unitForgetBias(boolean value) {
        return new LstmSpec(name, units, options, value);
    }

    @Override
    public int gateCount() {
        return 4;
    }

    @Override
    public String typeName() {
        return "LSTM";
    }

    @Override
    public String defaultNamePrefix() {
        return "lstm";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
