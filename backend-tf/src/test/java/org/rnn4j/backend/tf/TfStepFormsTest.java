package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
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
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * The four recurrence forms autotuning chooses between ({@link StepForm}: plain per-step
 * products, the hoisted input projection, the gate-major LSTM, TensorFlow's fused LSTM) compute
 * the same loss, outputs and gradients within float32 rounding (1e-5), on every kind of recurrent
 * layer and wiring; the plain and gate-major forms also pass the whole conformance suite on their
 * own ({@link TfPlainFormConformanceTest}, {@link TfGateMajorConformanceTest}).
 */
class TfStepFormsTest {
    /** Two LSTMs, the lower one's sequence into the upper one, and a dense layer (fusable). */
    private static final ModelSpec STACK = Sequential.builder()
            .input(6, 3)
            .add(Layers.lstm(5).returnSequences(true))
            .add(Layers.lstm(4))
            .add(Layers.dense(2))
            .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
            .build();

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(
                        "SimpleRNN",
                        Sequential.builder()
                                .input(6, 3)
                                .add(Layers.simpleRnn(4))
                                .add(Layers.dense(2))),
                Arguments.of(
                        "a stack of LSTMs (fusable)",
                        Sequential.builder()
                                .input(6, 3)
                                .add(Layers.lstm(5).returnSequences(true))
                                .add(Layers.lstm(4))
                                .add(Layers.dense(2))),
                Arguments.of(
                        "GRU, reset_after, sequence output",
                        Sequential.builder()
                                .input(6, 3)
                                .add(Layers.gru(4).returnSequences(true))
                                .add(Layers.dense(2))),
                Arguments.of(
                        "GRU without reset_after over a backwards SimpleRNN",
                        Sequential.builder()
                                .input(6, 3)
                                .add(Layers.simpleRnn(5).returnSequences(true).goBackwards(true))
                                .add(Layers.gru(4).resetAfter(false))
                                .add(Layers.dense(2))),
                Arguments.of(
                        "LSTM with input and recurrent dropout, no bias",
                        Sequential.builder()
                                .input(6, 3)
                                .add(Layers.lstm(4)
                                        .dropout(0.3)
                                        .recurrentDropout(0.2)
                                        .useBias(false))
                                .add(Layers.dense(2))),
                Arguments.of(
                        "a backwards LSTM's sequence into an LSTM with recurrent dropout only",
                        Sequential.builder()
                                .input(6, 3)
                                .add(Layers.lstm(5).returnSequences(true).goBackwards(true))
                                .add(Layers.lstm(4).recurrentDropout(0.25))
                                .add(Layers.dense(2))),
                Arguments.of(
                        "Bidirectional LSTM over an LSTM",
                        Sequential.builder()
                                .input(6, 3)
                                .add(Layers.lstm(4).returnSequences(true))
                                .add(Layers.bidirectional(Layers.lstm(3), MergeMode.CONCAT))
                                .add(Layers.dense(2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyFormComputesTheSameStep(String name, Sequential model) {
        ModelSpec spec =
                model.compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd()).build();
        int steps = spec.inputShape().get(0);
        Tensor x = Fixtures.floats(1, 1, 3, steps, 3);
        int[] outShape = spec.outputShape().size() == 2 ? new int[] {3, steps, 2} : new int[] {3, 2};
        Tensor y = Fixtures.floats(2, 1, outShape);
        WeightStore w = Fixtures.weights(spec, 5, 0.5);
        Map<String, Tensor> noise = TfProgramGradientTest.masks(spec, steps, 3, 9);
        Map<FormChoice, Program.StepResult> results = new java.util.LinkedHashMap<>();
        Map<FormChoice, Tensor> predictions = new java.util.LinkedHashMap<>();
        for (FormChoice f : CHOICES) {
            try (TfProgram p = program(spec, TfForms.rule())) {
                p.useChoice(steps, f);
                results.put(f, p.trainStep(x, y, w, noise));
                predictions.put(f, p.predict(x, w));
            }
        }
        Program.StepResult hoisted = results.get(FormChoice.of(StepForm.HOISTED));
        assertTrue(hoisted.gradients().values().stream().anyMatch(g -> g.maxAbsDiff(Tensor.zeros(g.shape())) > 1e-3));
        for (FormChoice f : CHOICES) {
            Program.StepResult r = results.get(f);
            assertEquals(hoisted.loss(), r.loss(), 1e-5, f + ": loss");
            assertTrue(hoisted.output().maxAbsDiff(r.output()) <= 1e-5, f + ": outputs");
            assertEquals(hoisted.gradients().keySet(), r.gradients().keySet(), f + ": gradient names");
            for (String k : hoisted.gradients().keySet()) {
                Tensor a = hoisted.gradients().get(k);
                Tensor b = r.gradients().get(k);
                assertArrayEquals(a.shape(), b.shape(), k);
                assertTrue(a.maxAbsDiff(b) <= 1e-5, f + ": gradient of " + k + " differs by " + a.maxAbsDiff(b));
            }
            Tensor pf = predictions.get(f);
            assertTrue(predictions.get(FormChoice.of(StepForm.HOISTED)).maxAbsDiff(pf) <= 1e-5, f + ": predictions");
        }
    }

    /**
     * What autotuning chooses between: the four forms, the plain and hoisted ones also with their
     * weight matrices read transposed, and the fused one also cut into time chunks (a single fused
     * LSTM too, although the rule only cuts stacks).
     */
    private static final List<FormChoice> CHOICES = List.of(
            FormChoice.of(StepForm.PLAIN),
            FormChoice.transposed(StepForm.PLAIN),
            FormChoice.of(StepForm.HOISTED),
            FormChoice.transposed(StepForm.HOISTED),
            FormChoice.of(StepForm.GATE_MAJOR),
            FormChoice.of(StepForm.FUSED),
            FormChoice.fused(2),
            FormChoice.fused(4));

    /** Each form really builds its own graph: per-step input products, one hoisted product, or the fused op. */
    @Test
    void theFormsBuildDifferentGraphs() {
        ModelSpec spec = STACK;
        var config = TfSessionOptions.defaults().toConfigProto();
        Map<StepForm, TfGraph> graphs = new EnumMap<>(StepForm.class);
        try {
            for (StepForm f : StepForm.values()) {
                graphs.put(f, TfGraph.build(spec, Mode.INFERENCE, 6, false, false, false, config, f.name(), true, f));
            }
            // hoisted: per layer one input product and 5 recurrent ones (step 0 has a zero state); plus the dense
            assertEquals(2 * (1 + 5) + 1, graphs.get(StepForm.HOISTED).count("MatMul"));
            // plain: per layer 6 input products and 5 recurrent ones; no stack and unstack between the layers
            assertEquals(2 * (6 + 5) + 1, graphs.get(StepForm.PLAIN).count("MatMul"));
            assertEquals(2, graphs.get(StepForm.FUSED).count("BlockLSTMV2"));
            assertEquals(0, graphs.get(StepForm.PLAIN).count("BlockLSTMV2"));
            assertEquals(0, graphs.get(StepForm.HOISTED).count("BlockLSTMV2"));
            // gate-major: the same products as hoisted, and transposes once per layer, none per step:
            // the input, the two kernels, the stacked sequence and the last h and c
            assertEquals(2 * (1 + 5) + 1, graphs.get(StepForm.GATE_MAJOR).count("MatMul"));
            assertEquals(0, graphs.get(StepForm.GATE_MAJOR).count("BlockLSTMV2"));
            assertEquals(2 * 6, graphs.get(StepForm.GATE_MAJOR).count("Transpose"));
            // its [units, batch] states add as AddN, like the other forms' [batch, units] ones: the only
            // broadcasting Adds left are the biases, [4u, 1] on [4u, time * batch], one per layer
            assertEquals(2, graphs.get(StepForm.GATE_MAJOR).count("Add"));
            assertEquals(
                    graphs.get(StepForm.HOISTED).count("AddN"),
                    graphs.get(StepForm.GATE_MAJOR).count("AddN"));
        } finally {
            graphs.values().forEach(TfGraph::close);
        }
    }

    /**
     * A bias is added with {@code BiasAdd}, whose gradient is one {@code BiasAddGrad} instead of a
     * broadcasting {@code Add}'s seven ops; the plain form adds one per step and layer.
     */
    @Test
    void biasesAreBiasAdds() {
        ModelSpec spec = STACK;
        try (TfGraph g = TfGraph.build(
                spec,
                Mode.TRAINING,
                6,
                true,
                false,
                true,
                TfSessionOptions.defaults().toConfigProto(),
                "plain",
                true,
                StepForm.PLAIN)) {
            // two layers of 6 steps, plus the dense layer
            assertEquals(2 * 6 + 1, g.count("BiasAdd"));
            assertEquals(2 * 6 + 1, g.count("BiasAddGrad"));
        }
    }

    /**
     * A one-step piece (a stream's step) projects its input plainly (nothing to transpose), and its
     * time-distributed layer reads the step's h as it is.
     */
    @Test
    void aOneStepPieceIsPlain() {
        ModelSpec spec = Sequential.builder()
                .tokenInput(-1)
                .add(Layers.embedding(9, 4))
                .add(Layers.lstm(200).returnSequences(true))
                .add(Layers.dense(9, org.rnn4j.api.layers.Activation.SOFTMAX))
                .compile(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Sgd())
                .build();
        var config = TfSessionOptions.defaults().toConfigProto();
        try (TfGraph one = TfGraph.buildPiece(spec, Piece.stage(Mode.INFERENCE, false, 0, 1), config, true);
                TfGraph two = TfGraph.buildPiece(spec, Piece.stage(Mode.INFERENCE, false, 0, 2), config, true)) {
            assertEquals(0, one.count("Transpose"));
            assertEquals(3, one.count("MatMul"), "x.W, h.U and the dense layer");
            assertEquals(
                    1,
                    one.count("Reshape"),
                    "only the output's [batch, 1, 9]: the dense layer reads the step's h without a Pack and Reshape");
            assertEquals(1, two.count("Transpose"), "longer pieces keep the rule's hoisted projection");
        }
    }

    /** An LSTM after an embedding (W2's wiring) has no fused form; plain and hoisted still agree. */
    @Test
    void embeddingIntoLstmAgreesAcrossForms() {
        ModelSpec spec = Sequential.builder()
                .tokenInput(7)
                .add(Layers.embedding(9, 3).maskZero(true))
                .add(Layers.lstm(4).returnSequences(true))
                .add(Layers.dense(9, org.rnn4j.api.layers.Activation.SOFTMAX))
                .compile(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Sgd())
                .build();
        int[] ids = {1, 2, 3, 4, 0, 0, 5, 8, 7, 6, 5, 4, 3, 2};
        Tensor x = Tensor.ofInts(ids, 2, 7);
        Tensor y = Tensor.ofInts(new int[] {2, 3, 4, 5, 1, 1, 6, 7, 6, 5, 4, 3, 2, 1}, 2, 7);
        WeightStore w = Fixtures.weights(spec, 3, 0.5);
        try (TfProgram plain = program(spec, StepForm.PLAIN);
                TfProgram hoisted = program(spec, StepForm.HOISTED);
                TfProgram gateMajor = program(spec, StepForm.GATE_MAJOR)) {
            Program.StepResult b = hoisted.trainStep(x, y, w, Map.of());
            for (TfProgram other : List.of(plain, gateMajor)) {
                Program.StepResult a = other.trainStep(x, y, w, Map.of());
                assertEquals(b.loss(), a.loss(), 1e-5);
                for (String k : b.gradients().keySet()) {
                    assertTrue(b.gradients().get(k).maxAbsDiff(a.gradients().get(k)) <= 1e-5, k);
                }
            }
        }
    }

    static TfProgram program(ModelSpec spec, StepForm form) {
        return program(spec, TfForms.forced(form));
    }

    static TfProgram program(ModelSpec spec, TfForms forms) {
        return new TfProgram(
                spec,
                TfSessionOptions.defaults().toConfigProto(),
                p -> {},
                true,
                RecurrencePolicy.defaults(),
                forms,
                java.util.List.of());
    }
}
