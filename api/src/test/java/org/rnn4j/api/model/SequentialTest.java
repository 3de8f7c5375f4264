package org.rnn4j.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.MergeMode;

class SequentialTest {

    private static long params(ModelSpec spec, int layer) {
        return spec.layerInfos().get(layer).parameterCount();
    }

    @Test
    void parameterCountsEqualKeras() {
        // Keras's counts: SimpleRNN u*(f+u+1); LSTM 4u(f+u+1); GRU reset_after 3u(f+u+2), reset_before 3u(f+u+1).
        ModelSpec article = Sequential.builder()
                .input(50, 1)
                .add(Layers.simpleRnn(10))
                .add(Layers.dense(1))
                .build();
        assertEquals(120, params(article, 0));
        assertEquals(11, params(article, 1));
        assertEquals(131, article.parameterCount());
        ModelSpec lstm = Sequential.builder()
                .input(50, 1)
                .add(Layers.lstm(50).returnSequences(true))
                .add(Layers.lstm(50))
                .build();
        assertEquals(10_400, params(lstm, 0));
        assertEquals(20_200, params(lstm, 1));
        assertEquals(
                7_950,
                params(Sequential.builder().input(50, 1).add(Layers.gru(50)).build(), 0));
        assertEquals(
                7_800,
                params(
                        Sequential.builder()
                                .input(50, 1)
                                .add(Layers.gru(50).resetAfter(false))
                                .build(),
                        0));
        assertEquals(
                64_000,
                params(
                        Sequential.builder()
                                .tokenInput(50)
                                .add(Layers.embedding(1000, 64))
                                .build(),
                        0));
    }

    @Test
    void keraStyleNamesAndShapes() {
        ModelSpec spec = Sequential.builder()
                .input(50, 1)
                .add(Layers.simpleRnn(8).returnSequences(true))
                .add(Layers.simpleRnn(4))
                .add(Layers.dense(1))
                .build();
        assertEquals(
                List.of("simple_rnn", "simple_rnn_1", "dense"),
                spec.layerInfos().stream().map(LayerInfo::name).toList());
        assertEquals(List.of(50, 8), spec.layerInfos().get(0).outputShape());
        assertEquals(List.of(1), spec.outputShape());
        assertEquals("simple_rnn_1/recurrent_kernel", spec.weights().get(4).name());
    }

    @Test
    void stackingWithoutReturnSequencesSaysHowToFixIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Sequential.builder()
                        .input(50, 1)
                        .add(Layers.simpleRnn(10))
                        .add(Layers.lstm(5))
                        .build());
        assertEquals(
                "layer 'lstm' (LSTM) needs a 3-D input [batch, time, features] but 'simple_rnn' (SimpleRNN) outputs [batch, 10];"
                        + " set returnSequences(true) on 'simple_rnn' (SimpleRNN)",
                e.getMessage());
    }

    @Test
    void missingInputShapeIsCaughtAtBuild() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Sequential.builder().add(Layers.dense(1)).build());
        assertTrue(e.getMessage().contains("no input shape"), e.getMessage());
    }

    @Test
    void embeddingMustComeFirstAndReadTokenIds() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Sequential.builder()
                        .input(10, 3)
                        .add(Layers.embedding(20, 4))
                        .build());
        assertTrue(e.getMessage().contains("reads int32 token ids"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Sequential.builder()
                        .tokenInput(10)
                        .add(Layers.embedding(20, 4))
                        .add(Layers.embedding(20, 4))
                        .build());
        assertTrue(e.getMessage().contains("must be the first layer"), e.getMessage());
    }

    @Test
    void invalidValuesAreRejectedNotClamped() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layers.lstm(-3));
        assertEquals("lstm.units must be a positive int, got -3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.lstm(3).dropout(1.0));
        assertEquals("dropout must be in [0, 1), got 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.dense(2).withName("../x"));
        assertTrue(e.getMessage().startsWith("layer name '../x' is invalid"), e.getMessage());
    }

    @Test
    void duplicateNamesAreRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Sequential.builder()
                        .input(3)
                        .add(Layers.dense(2).withName("d"))
                        .add(Layers.dense(2).withName("d"))
                        .build());
        assertTrue(e.getMessage().contains("two layers are named 'd'"), e.getMessage());
    }

    @Test
    void wrappersNameTheirWeightsAsKeras() {
        ModelSpec spec = Sequential.builder()
                .input(7, 3)
                .add(Layers.bidirectional(Layers.lstm(4).returnSequences(true), MergeMode.SUM))
                .add(Layers.timeDistributed(Layers.dense(2)))
                .build();
        assertEquals(
                List.of(
                        "bidirectional/forward_lstm/kernel",
                        "bidirectional/forward_lstm/recurrent_kernel",
                        "bidirectional/forward_lstm/bias",
                        "bidirectional/backward_lstm/kernel",
                        "bidirectional/backward_lstm/recurrent_kernel",
                        "bidirectional/backward_lstm/bias",
                        "time_distributed/kernel",
                        "time_distributed/bias"),
                spec.weights().stream().map(WeightSpec::name).toList());
        assertEquals(List.of(7, 4), spec.layerInfos().get(0).outputShape(), "sum merge keeps the unit count");
        assertEquals(List.of(7, 2), spec.outputShape());
    }

    @Test
    void summaryIsKerasShaped() {
        String s = Sequential.builder()
                .input(50, 1)
                .add(Layers.simpleRnn(10))
                .add(Layers.dense(1))
                .build()
                .summary();
        assertTrue(s.contains(" simple_rnn (SimpleRNN)"), s);
        assertTrue(s.contains("(None, 10)"), s);
        assertTrue(s.contains("Total params: 131"), s);
        assertTrue(s.contains("Trainable params: 131"), s);
        assertTrue(s.contains("Non-trainable params: 0"), s);
    }

    @Test
    void batchNormalizationCountsNonTrainableStatistics() {
        ModelSpec spec =
                Sequential.builder().input(5).add(Layers.batchNormalization()).build();
        assertEquals(20, spec.parameterCount());
        assertEquals(10, spec.trainableParameterCount());
    }

    /**
     * Keras's counts and shapes: Conv1D k*in*filters + filters, output ceil(t/s) (same, causal) or
     * (t - d(k-1) - 1)/s + 1 (valid); pooling (t - p)/s + 1 or ceil(t/s); LayerNormalization 2f; the
     * rest none.
     */
    @Test
    void newLayersCountParametersAndShapeOutputsAsKeras() {
        ModelSpec spec = Sequential.builder()
                .input(100, 8)
                .add(Layers.masking(0))
                .add(Layers.conv1d(16, 5).withPadding(org.rnn4j.api.layers.Padding.SAME))
                .add(Layers.maxPooling1d(2))
                .add(Layers.conv1d(32, 3).withStrides(2))
                .add(Layers.conv1d(8, 3)
                        .withPadding(org.rnn4j.api.layers.Padding.CAUSAL)
                        .withDilationRate(4))
                .add(new org.rnn4j.api.layers.Pooling1DSpec(
                        null, org.rnn4j.api.layers.Pooling1DSpec.Pool.AVERAGE, 3, 1, org.rnn4j.api.layers.Padding.SAME))
                .add(Layers.layerNormalization())
                .add(Layers.lstm(12).returnSequences(true))
                .add(Layers.timeDistributed(Layers.dense(4)))
                .add(Layers.globalAveragePooling1d())
                .add(Layers.repeatVector(3))
                .add(Layers.flatten())
                .add(Layers.dense(2))
                .add(Layers.activation(org.rnn4j.api.layers.Activation.SOFTMAX))
                .build();
        long[] params = {0, 656, 0, 1568, 776, 0, 16, 1008, 52, 0, 0, 0, 26, 0};
        List<List<Integer>> shapes = List.of(
                List.of(100, 8),
                List.of(100, 16),
                List.of(50, 16),
                List.of(24, 32),
                List.of(24, 8),
                List.of(24, 8),
                List.of(24, 8),
                List.of(24, 12),
                List.of(24, 4),
                List.of(4),
                List.of(3, 4),
                List.of(12),
                List.of(2),
                List.of(2));
        for (int i = 0; i < params.length; i++) {
            LayerInfo info = spec.layerInfos().get(i);
            assertEquals(params[i], info.parameterCount(), info.name());
            assertEquals(shapes.get(i), info.outputShape(), info.name());
        }
        String summary = spec.summary();
        for (String row : List.of(
                " masking (Masking) ",
                " conv1d_2 (Conv1D) ",
                "(None, 24, 32)",
                " max_pooling1d (MaxPooling1D) ",
                " average_pooling1d (AveragePooling1D) ",
                " layer_normalization (LayerNormalization) ",
                " time_distributed (TimeDistributed(Dense)) ",
                " global_average_pooling1d (GlobalAveragePooling1D) ",
                " repeat_vector (RepeatVector) ",
                " flatten (Flatten) ",
                " activation (Activation) ",
                "Total params: 4,102 ")) {
            assertTrue(summary.contains(row), row + " in\n" + summary);
        }
        assertEquals(
                List.of("conv1d/kernel", "conv1d/bias"),
                spec.layerInfos().get(1).weights().stream()
                        .map(WeightSpec::name)
                        .toList());
        assertEquals(List.of(5, 8, 16), spec.weights().get(0).shape(), "Keras's [kernel, in, filters] layout");
        assertEquals(
                List.of("layer_normalization/gamma", "layer_normalization/beta"),
                spec.layerInfos().get(6).weights().stream()
                        .map(WeightSpec::name)
                        .toList());
    }

    @Test
    void windowLayersSayWhenTheInputIsTooShortOrUnknown() {
        IllegalArgumentException shortInput = assertThrows(
                IllegalArgumentException.class,
                () -> Sequential.builder().input(4, 1).add(Layers.conv1d(2, 5)).build());
        assertTrue(
                shortInput.getMessage().contains("needs at least 5 time steps with valid padding"),
                shortInput.getMessage());
        IllegalArgumentException flatten = assertThrows(
                IllegalArgumentException.class,
                () -> Sequential.builder().input(-1, 3).add(Layers.flatten()).build());
        assertTrue(flatten.getMessage().contains("(Flatten) needs a known time length"), flatten.getMessage());
        IllegalArgumentException wrapped =
                assertThrows(IllegalArgumentException.class, () -> Layers.timeDistributed(Layers.conv1d(2, 2)));
        assertTrue(
                wrapped.getMessage().startsWith("TimeDistributed gives its layer one time step"), wrapped.getMessage());
    }
}
