package org.rnn4j.api.layers;

/**
 * Keras {@code Bidirectional}: the wrapped recurrent layer runs forwards ({@code forward_<name>})
 * and backwards ({@code backward_<name>}); with {@code returnSequences} the backward output is
 * re-reversed before merging, as Keras does.
 */
public record BidirectionalSpec(String name, RecurrentSpec layer, MergeMode mergeMode) implements LayerSpec {
    public BidirectionalSpec {
        LayerSpec.checkName(name);
        if (layer == null) {
            throw new IllegalArgumentException("bidirectional.layer must be a SimpleRNN, LSTM or GRU");
        }
        if (layer.goBackwards()) {
            throw new IllegalArgumentException(
                    "bidirectional.layer must not set go_backwards: the wrapper makes the backward copy itself");
        }
        if (layer.options().rules().activityRegularizer() != null) {
            throw new IllegalArgumentException("bidirectional.layer.activity_regularizer is not supported;"
                    + " regularize the layer after the Bidirectional instead");
        }
        if (mergeMode == null) {
            throw new IllegalArgumentException("bidirectional.merge_mode must be one of concat, sum, mul, ave");
        }
    }

    @Override
    public BidirectionalSpec withName(String n) {
        return new BidirectionalSpec(n, layer, mergeMode);
    }

    /** The name of the wrapped layer ({@code lstm}, or its own name when set). */
    public String innerName() {
        return layer.name() != null ? layer.name() : layer.defaultNamePrefix();
    }

    @Override
    public String typeName() {
        return "Bidirectional";
    }

    @Override
    public String defaultNamePrefix() {
        return "bidirectional";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
