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

    public static TimeDistributedSpec timeDistributed(LayerSpec layer) {
        return new TimeDistributedSpec(null, layer);
    }

    public static MaskingSpec masking(double maskValue) {
        return new MaskingSpec(null, maskValue);
    }

    /** Keras 3 defaults: strides 1, valid padding, dilation 1, linear, bias, glorot_uniform / zeros. */
    public static Conv1DSpec conv1d(int filters, int kernelSize) {
        return new Conv1DSpec(
                null,
                filters,
                kernelSize,
                1,
                Padding.VALID,
                1,
                Activation.LINEAR,
                true,
                Initializer.glorotUniform(),
                Initializer.zeros(),
                WeightRules.NONE);
    }

    /** Strides default to the pool size, as Keras. */
    public static Pooling1DSpec maxPooling1d(int poolSize) {
        return new Pooling1DSpec(null, Pooling1DSpec.Pool.MAX, poolSize, poolSize, Padding.VALID);
    }

    public static Pooling1DSpec averagePooling1d(int poolSize) {
        return new Pooling1DSpec(null, Pooling1DSpec.Pool.AVERAGE, poolSize, poolSize, Padding.VALID);
    }

    public static GlobalPooling1DSpec globalAveragePooling1d() {
        return new GlobalPooling1DSpec(null, Pooling1DSpec.Pool.AVERAGE, false);
    }

    public static GlobalPooling1DSpec globalMaxPooling1d() {
        return new GlobalPooling1DSpec(null, Pooling1DSpec.Pool.MAX, false);
    }

    /** Keras defaults: epsilon 1e-3, center and scale. */
    public static LayerNormalizationSpec layerNormalization() {
        return new LayerNormalizationSpec(null, 1e-3, true, true);
    }

    public static FlattenSpec flatten() {
        return new FlattenSpec(null);
    }

    public static RepeatVectorSpec repeatVector(int n) {
        return new RepeatVectorSpec(null, n);
    }

    public static ActivationSpec activation(Activation a) {
        return new ActivationSpec(null, a);
    }
}
