package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * LSTMs run as TensorFlow's fused {@code BlockLSTMV2} with hand-wired {@code BlockLSTMGradV2}
 * ({@link TfOps#lstm}, {@link TfGraph}) against the same models unrolled op by op, which
 * TensorFlow differentiates itself: two independent implementations of the values and gradients.
 */
class TfFusedLstmTest {

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(
                        "one fused LSTM, last step",
                        Sequential.builder().input(5, 2).add(Layers.lstm(4)).add(Layers.dense(2))),
                Arguments.of(
                        "a fused stack, without biases",
                        Sequential.builder()
                                .input(5, 2)
                                .add(Layers.lstm(4).returnSequences(true).useBias(false))
                                .add(Layers.lstm(3).useBias(false))
                                .add(Layers.dense(2))),
                Arguments.of(
                        "a stack of three, one step",
                        Sequential.builder()
                                .input(1, 2)
                                .add(Layers.lstm(3).returnSequences(true))
                                .add(Layers.lstm(3).returnSequences(true))
                                .add(Layers.lstm(2))
                                .add(Layers.dense(2))),
                // The lower LSTM's sequence feeds both a fused LSTM (Bidirectional's forward direction)
                // and an unrolled one (its backward direction): its gradient comes from both paths.
                Arguments.of(
                        "a fused LSTM under a Bidirectional",
                        Sequential.builder()
                                .input(5, 2)
                                .add(Layers.lstm(4).returnSequences(true))
                                .add(Layers.bidirectional(Layers.lstm(3), MergeMode.CONCAT))
                                .add(Layers.dense(2))),
                Arguments.of(
                        "sequence output into a dense per step",
                        Sequential.builder()
                                .input(5, 2)
                                .add(Layers.lstm(3).returnSequences(true))
                                .add(Layers.dense(2))));
    }

    /** Fused where that was measured faster: narrow LSTMs reading the input or a fused sequence. */
    @org.junit.jupiter.api.Test
    void fusesNarrowLstmsOnly() {
        var config = TfSessionOptions.defaults().toConfigProto();
        ModelSpec narrow = Sequential.builder()
                .input(5, 2)
                .add(Layers.lstm(TfOps.MAX_FUSED_UNITS).returnSequences(true))
                .add(Layers.lstm(4))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        ModelSpec wide = Sequential.builder()
                .input(5, 2)
                .add(Layers.lstm(TfOps.MAX_FUSED_UNITS + 1).returnSequences(true))
                .add(Layers.lstm(4))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        ModelSpec afterEmbedding = Sequential.builder()
                .tokenInput(5)
                .add(Layers.embedding(7, 3))
                .add(Layers.lstm(4))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        try (TfGraph a = TfGraph.build(
                        narrow, org.rnn4j.api.graph.ModelGraph.Mode.TRAINING, 5, true, true, config, "a");
                TfGraph b =
                        TfGraph.build(wide, org.rnn4j.api.graph.ModelGraph.Mode.TRAINING, 5, true, true, config, "b");
                TfGraph c = TfGraph.build(
                        afterEmbedding, org.rnn4j.api.graph.ModelGraph.Mode.TRAINING, 5, true, true, config, "c")) {
            assertEquals(2, a.count("BlockLSTMV2"), "both layers of the narrow stack");
            assertEquals(2, a.count("BlockLSTMGradV2"));
            assertEquals(0, b.count("BlockLSTMV2"), "a wide first layer is unrolled, and the layer on it with it");
            assertEquals(0, c.count("BlockLSTMV2"), "an LSTM after an embedding is unrolled");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void fusedMatchesUnrolled(String name, Sequential model) {
        ModelSpec spec =
                model.compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd()).build();
        int steps = spec.inputShape().get(0);
        Tensor x = Fixtures.floats(1, 1, 3, steps, 2);
        int[] outShape = spec.outputShape().size() == 2 ? new int[] {3, steps, 2} : new int[] {3, 2};
        Tensor y = Fixtures.floats(2, 1, outShape);
        WeightStore w = Fixtures.weights(spec, 5, 0.5);
        var config = TfSessionOptions.defaults().toConfigProto();
        try (TfProgram fused = new TfProgram(spec, config, p -> {}, true, RecurrencePolicy.defaults());
                TfProgram unrolled = new TfProgram(spec, config, p -> {}, false, RecurrencePolicy.defaults())) {
            Program.StepResult a = fused.trainStep(x, y, w, Map.of());
            Program.StepResult b = unrolled.trainStep(x, y, w, Map.of());
            Fixtures.assertSameStep(b, a, "fused against unrolled");
            assertTrue(
                    a.gradients().values().stream().allMatch(g -> g.maxAbsDiff(Tensor.zeros(g.shape())) > 0)
                            || steps == 1,
                    "some gradient is all zeros");
            assertTrue(fused.predict(x, w).maxAbsDiff(unrolled.predict(x, w)) <= 1e-6, "predictions differ");
        }
    }
}
