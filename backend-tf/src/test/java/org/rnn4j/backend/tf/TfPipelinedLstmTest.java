package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.graph.ModelGraph.Mode;
import org.rnn4j.api.graph.Piece;
import org.rnn4j.api.graph.StepForm;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * A stack of fused LSTMs cut into time chunks so its layers run as a pipeline
 * ({@link TfOps#pipelineChunks}): every chunk a {@code BlockLSTMV2} starting from the state the
 * chunk before ended in, the gradients hand-wired chunk by chunk from the last one back. Checked
 * against the same models unrolled op by op, which TensorFlow differentiates itself.
 */
class TfPipelinedLstmTest {
    private static final org.tensorflow.proto.ConfigProto CONFIG =
            TfSessionOptions.defaults().toConfigProto();

    static Stream<Arguments> stacks() {
        return Stream.of(
                // 25 steps: 3 chunks of 9, 8 and 8
                Arguments.of(
                        "two LSTMs, last step",
                        Sequential.builder()
                                .input(25, 2)
                                .add(Layers.lstm(4).returnSequences(true))
                                .add(Layers.lstm(3))
                                .add(Layers.dense(2)),
                        3,
                        2),
                // 23 steps: 2 chunks of 12 and 11
                Arguments.of(
                        "three LSTMs into a dense per step",
                        Sequential.builder()
                                .input(23, 3)
                                .add(Layers.lstm(3).returnSequences(true))
                                .add(Layers.lstm(4).returnSequences(true))
                                .add(Layers.lstm(2).returnSequences(true))
                                .add(Layers.dense(2)),
                        2,
                        3),
                Arguments.of(
                        "two LSTMs without biases",
                        Sequential.builder()
                                .input(16, 2)
                                .add(Layers.lstm(3).returnSequences(true).useBias(false))
                                .add(Layers.lstm(3).useBias(false))
                                .add(Layers.dense(1)),
                        2,
                        2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void aPipelinedStackMatchesTheUnrolledOne(String name, Sequential model, int chunks, int depth) {
        ModelSpec spec =
                model.compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd()).build();
        int steps = spec.inputShape().get(0);
        int features = spec.inputShape().get(1);
        try (TfGraph g =
                TfGraph.build(spec, Mode.TRAINING, steps, true, false, true, CONFIG, "rule", true, (FormChoice) null)) {
            assertEquals(chunks, g.fusedChunks(), "the rule's chunks");
            assertEquals(depth * chunks, g.count("BlockLSTMV2"));
            assertEquals(depth * chunks, g.count("BlockLSTMGradV2"));
        }
        Tensor x = Fixtures.floats(1, 1, 3, steps, features);
        int[] outShape = spec.outputShape().size() == 2
                ? new int[] {3, steps, spec.outputShape().get(1)}
                : new int[] {3, spec.outputShape().get(0)};
        Tensor y = Fixtures.floats(2, 1, outShape);
        WeightStore w = Fixtures.weights(spec, 5, 0.5);
        try (TfProgram pipelined = new TfProgram(spec, CONFIG, p -> {}, true, RecurrencePolicy.defaults());
                TfProgram unrolled = new TfProgram(spec, CONFIG, p -> {}, false, RecurrencePolicy.defaults())) {
            assertSameStep(pipelined.trainStep(x, y, w, Map.of()), unrolled.trainStep(x, y, w, Map.of()));
            assertTrue(pipelined.predict(x, w).maxAbsDiff(unrolled.predict(x, w)) <= 1e-6, "predictions differ");
        }
    }

    /**
     * Pieces of a long sequence start from a fed state and hand their last state on: the first chunk
     * starts from the fed one (and returns its gradient), the last one's {@code h} and {@code c} leave.
     */
    @Test
    void pipelinedPiecesOfALongSequenceMatchTheUnrolledOnes() {
        ModelSpec spec = Sequential.builder()
                .input(60, 2)
                .add(Layers.lstm(4).returnSequences(true))
                .add(Layers.lstm(3))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        try (TfGraph piece = TfGraph.buildPiece(spec, Piece.stage(Mode.TRAINING, false, 0, 24), CONFIG, true)) {
            assertEquals(2, piece.fusedChunks(), "24 steps: 2 chunks");
            assertEquals(4, piece.count("BlockLSTMGradV2"));
        }
        Tensor x = Fixtures.floats(3, 1, 2, 60, 2);
        Tensor y = Fixtures.floats(4, 1, 2, 1);
        WeightStore w = Fixtures.weights(spec, 6, 0.5);
        // pieces of 24, 24 and 12 steps: 2, 2 and 1 chunks
        RecurrencePolicy policy = RecurrencePolicy.chunked(24);
        try (TfProgram pipelined = new TfProgram(spec, CONFIG, p -> {}, true, policy);
                TfProgram unrolled = new TfProgram(spec, CONFIG, p -> {}, false, policy)) {
            assertSameStep(pipelined.trainStep(x, y, w, Map.of()), unrolled.trainStep(x, y, w, Map.of()));
            assertTrue(pipelined.predict(x, w).maxAbsDiff(unrolled.predict(x, w)) <= 1e-6, "predictions differ");
        }
    }

    private static void assertSameStep(Program.StepResult a, Program.StepResult b) {
        Fixtures.assertSameStep(b, a, "pipelined against unrolled");
        for (Map.Entry<String, Tensor> g : a.gradients().entrySet()) {
            assertTrue(
                    g.getValue().maxAbsDiff(Tensor.zeros(g.getValue().shape())) > 1e-4, g.getKey() + " is all zeros");
        }
    }

    /** Hand-worked: about 10 steps a chunk, at most 8, and only for a stack of two or more fused LSTMs on 2+ threads. */
    @Test
    void theRuleCutsOnlyFusedStacks() {
        ModelSpec stack = stack(Layers.lstm(50).returnSequences(true), Layers.lstm(50));
        assertEquals(5, TfOps.pipelineChunks(stack, 50, null, true, 2));
        assertEquals(2, TfOps.pipelineChunks(stack, 16, null, true, 2));
        assertEquals(1, TfOps.pipelineChunks(stack, 14, null, true, 2), "1.4 chunks round to one");
        assertEquals(8, TfOps.pipelineChunks(stack, 1000, null, true, 2));
        assertEquals(1, TfOps.pipelineChunks(stack, 50, null, true, 1), "one inter-op thread: nothing overlaps");
        assertEquals(1, TfOps.pipelineChunks(stack, 50, null, false, 2), "no fused op");
        assertEquals(1, TfOps.pipelineChunks(stack, 50, StepForm.PLAIN, true, 2));
        assertEquals(5, TfOps.pipelineChunks(stack, 50, StepForm.FUSED, true, 2));
        assertEquals(1, TfOps.pipelineChunks(stack(Layers.lstm(50)), 50, null, true, 2), "one layer");
        ModelSpec wide = stack(Layers.lstm(128).returnSequences(true), Layers.lstm(50));
        assertEquals(1, TfOps.pipelineChunks(wide, 50, null, true, 2), "the rule fuses no LSTM over 96 units");
        assertEquals(5, TfOps.pipelineChunks(wide, 50, StepForm.FUSED, true, 2), "forced fused: any width");
        assertEquals(
                1, TfOps.pipelineChunks(stack(Layers.lstm(8).returnSequences(true), Layers.gru(8)), 50, null, true, 2));
        assertEquals(
                1,
                TfOps.pipelineChunks(
                        stack(Layers.lstm(8).returnSequences(true).dropout(0.1), Layers.lstm(8)), 50, null, true, 2),
                "input dropout: not fused");
        assertEquals(
                2,
                TfOps.fusedStackDepth(
                        stack(Layers.lstm(8).returnSequences(true), Layers.lstm(8), Layers.dense(3)), null, true));
    }

    private static ModelSpec stack(org.rnn4j.api.layers.LayerSpec... layers) {
        Sequential b = Sequential.builder().input(50, 1);
        for (org.rnn4j.api.layers.LayerSpec l : layers) {
            b.add(l);
        }
        return b.add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
    }
}
