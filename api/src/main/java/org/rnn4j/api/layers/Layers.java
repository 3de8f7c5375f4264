package org.rnn4j.api.layers;

/** Factories with Keras 3 defaults, for the fluent {@code Sequential} builder. */
public final class Layers {
    private Layers() {}

    public static SimpleRnnSpec simpleRnn(int units) {
        return new SimpleRnnSpec(null, units, RecurrentOptions.defaults());
    }

    public static LstmSpec lstm(int units) {
        return new LstmSpec(null, units, RecurrentOptions.defaults(), true);
    }

    public static GruSpec gru(int units) {
        return new GruSpec(null, units, RecurrentOptions.defaults(), true);
    }

    public static EmbeddingSpec embedding(int inputDim, int outputDim) {
        return new EmbeddingSpec(null, inputDim, outputDim, false, new Initializer.RandomUniform(-0.05, 0.05));
    }

    public static DenseSpec dense(int units) {
        return new DenseSpec(null, units, Activation.LINEAR, true, Initializer.glorotUniform(), Initializer.zeros());
    }

    public static DenseSpec dense(int units, Activation activation) {
        return dense(units).activation(activation);
    }

    public static DropoutSpec dropout(double rate) {
        return new DropoutSpec(null, rate);
    }

    public static BatchNormalizationSpec batchNormalization() {
        return new BatchNormalizationSpec(null, 0.99, 1e-3, true, true);
    }

    public static BidirectionalSpec bidirectional(RecurrentSpec layer) {
        return new BidirectionalSpec(null, layer, MergeMode.CONCAT);
    }

    public static BidirectionalSpec bidirectional(RecurrentSpec layer, MergeMode mergeMode) {
        return new BidirectionalSpec(null, layer, mergeMode);
    }

    public static TimeDistributedSpec timeDistributed(DenseSpec layer) {
        return new TimeDistributedSpec(null, layer);
    }
}
