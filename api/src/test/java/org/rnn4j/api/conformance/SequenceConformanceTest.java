package org.rnn4j.api.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrenceForm;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.ModelGraph.Mode;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.graph.SequencePlan;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.Optimizer;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.api.weights.WeightStore;

/**
 * Long sequences on every engine: a model run in chunks ({@link RecurrencePolicy#chunked}) computes
 * what the same model's whole-sequence graph computes (today's form, itself checked against the
 * TensorFlow.js references by {@link BackendConformanceTest}): outputs, losses, every weight's
 * gradient, and the weights after a few optimizer steps, within 1e-6 ({@link #tolerance}). The cases cover every
 * recurrent layer type and option that changes how a sequence is read: SimpleRNN, LSTM (fused and
 * unrolled), GRU in both reset modes, padding masks, {@code go_backwards}, Bidirectional in every
 * merge mode, stacks across stages, dropout masks, sequence and last-step outputs, and a head with
 * BatchNormalization; plus random models of up to 200 steps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SequenceConformanceTest {
    private Backend backend;

    protected abstract Backend createBackend();

    /**
     * How far chunked and whole may differ (absolute): float32 rounding of sums taken in another
     * order. 1e-6 unless a backend's way of building the graph reorders a reduction further.
     */
    protected double tolerance() {
        return 1e-6;
    }

    /**
     * How far chunked and whole gradients, and weights (and what they compute) after optimizer steps,
     * may differ: {@link #tolerance} unless a backend sums gradients in an order that differs more.
     */
    protected double gradientTolerance() {
        return tolerance();
    }

    /** {@link #tolerance} for the first training step, {@link #gradientTolerance} once weights were updated. */
    private double afterSteps(int step) {
        return step == 0 ? tolerance() : gradientTolerance();
    }

    @BeforeAll
    void open() {
        backend = createBackend();
    }

    @AfterAll
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    /** A chunked policy that counts how often it chose the chunked form, so a test knows chunks ran. */
    static final class Counting implements RecurrencePolicy {
        final int chunk;
        final AtomicInteger chunked = new AtomicInteger();

        Counting(int chunk) {
            this.chunk = chunk;
        }

        @Override
        public RecurrenceForm form(ModelSpec spec, Mode mode, int steps) {
            chunked.incrementAndGet();
            return RecurrenceForm.CHUNKED;
        }

        @Override
        public int chunkSteps(ModelSpec spec, Mode mode) {
            return chunk;
        }
    }

    private static CompileSpec mse() {
        return new CompileSpec(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(), List.of());
    }

    private static Sequential seq(String name, int features) {
        return Sequential.name(name).input(-1, features);
    }

    /** Every case: a name and a spec; inputs and targets are drawn from the spec. */
    /**
     * Whether this backend's run of the suite takes the cases of {@code spec}: all of them unless a
     * subclass runs the suite for one way of building some layers (then the cases without those
     * layers are the other runs', computed the same way).
     */
    protected boolean exercises(ModelSpec spec) {
        return true;
    }

    Stream<Arguments> cases() {
        return allCases().filter(a -> exercises((ModelSpec) a.get()[1]));
    }

    static Stream<Arguments> allCases() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of(
                "simple_rnn_last",
                seq("simple_rnn_last", 3)
                        .add(Layers.simpleRnn(4))
                        .add(Layers.dense(2))
                        .compile(mse())
                        .build()));
        org.rnn4j.api.layers.GruSpec regularizedGru = Layers.gru(4);
        regularizedGru = regularizedGru.withOptions(regularizedGru
                .options()
                .withReturnSequences(true)
                .withRules(org.rnn4j.api.layers.WeightRules.NONE
                        .withKernelRegularizer(new org.rnn4j.api.layers.Regularizer(0.01, 0.02))
                        .withRecurrentRegularizer(org.rnn4j.api.layers.Regularizer.l2(0.03))
                        .withBiasRegularizer(org.rnn4j.api.layers.Regularizer.l1(0.02))));
        // Weight penalties: added once per call by the driver, whatever the number of chunks.
        out.add(Arguments.of(
                "gru_weight_regularized",
                seq("gru_weight_regularized", 2)
                        .add(regularizedGru)
                        .add(Layers.simpleRnn(3))
                        .add(Layers.dense(2))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "lstm_stack_fusable",
                seq("lstm_stack_fusable", 2)
                        .add(Layers.lstm(4).returnSequences(true))
                        .add(Layers.lstm(3))
                        .add(Layers.dense(1))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "lstm_hard_sigmoid_sequence",
                seq("lstm_hard_sigmoid_sequence", 2)
                        .add(Layers.lstm(4)
                                .recurrentActivation(Activation.HARD_SIGMOID)
                                .returnSequences(true))
                        .add(Layers.timeDistributed(Layers.dense(2)))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "gru_reset_after_last",
                seq("gru_reset_after_last", 3)
                        .add(Layers.gru(4).resetAfter(true))
                        .add(Layers.dense(2))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "gru_reset_before_sequence",
                seq("gru_reset_before_sequence", 3)
                        .add(Layers.gru(4).resetAfter(false).returnSequences(true))
                        .add(Layers.dense(2, Activation.TANH))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "embedding_mask_gru_lstm",
                Sequential.name("embedding_mask_gru_lstm")
                        .tokenInput(-1)
                        .add(Layers.embedding(7, 3).maskZero(true))
                        .add(Layers.gru(4).returnSequences(true))
                        .add(Layers.lstm(3))
                        .add(Layers.dense(2))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "lstm_go_backwards_sequence",
                seq("lstm_go_backwards_sequence", 2)
                        .add(Layers.lstm(3).goBackwards(true).returnSequences(true))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "simple_rnn_go_backwards_last",
                seq("simple_rnn_go_backwards_last", 2)
                        .add(Layers.simpleRnn(3).goBackwards(true))
                        .add(Layers.dense(2))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "bidirectional_lstm_then_gru",
                seq("bidirectional_lstm_then_gru", 2)
                        .add(Layers.bidirectional(Layers.lstm(3).returnSequences(true)))
                        .add(Layers.gru(3))
                        .add(Layers.dense(1))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "bidirectional_gru_sum_last",
                seq("bidirectional_gru_sum_last", 2)
                        .add(Layers.bidirectional(Layers.gru(3).resetAfter(false), MergeMode.SUM))
                        .add(Layers.dense(2))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "lstm_then_bidirectional_ave_sequence",
                seq("lstm_then_bidirectional_ave_sequence", 2)
                        .add(Layers.lstm(3).returnSequences(true))
                        .add(Layers.bidirectional(Layers.simpleRnn(3).returnSequences(true), MergeMode.AVE))
                        .add(Layers.timeDistributed(Layers.dense(2)))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "bidirectional_mul_last_lstm",
                seq("bidirectional_mul_last_lstm", 2)
                        .add(Layers.bidirectional(Layers.lstm(3), MergeMode.MUL))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "dropout_everywhere",
                seq("dropout_everywhere", 3)
                        .add(Layers.lstm(4).dropout(0.3).recurrentDropout(0.4).returnSequences(true))
                        .add(Layers.dropout(0.25))
                        .add(Layers.gru(3).recurrentDropout(0.2))
                        .add(Layers.dropout(0.5))
                        .add(Layers.dense(2))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "three_stages",
                seq("three_stages", 2)
                        .add(Layers.lstm(3).returnSequences(true))
                        .add(Layers.gru(3).goBackwards(true).returnSequences(true))
                        .add(Layers.simpleRnn(2))
                        .add(Layers.dense(1))
                        .compile(mse())
                        .build()));
        out.add(Arguments.of(
                "embedding_mask_bidirectional_softmax",
                Sequential.name("embedding_mask_bidirectional_softmax")
                        .tokenInput(-1)
                        .add(Layers.embedding(6, 3).maskZero(true))
                        .add(Layers.bidirectional(Layers.lstm(3).returnSequences(true)))
                        .add(Layers.timeDistributed(Layers.dense(6, Activation.SOFTMAX)))
                        .compile(new CompileSpec(
                                Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Adam(), List.of()))
                        .build()));
        out.add(Arguments.of(
                "batch_normalization_head",
                seq("batch_normalization_head", 2)
                        .add(Layers.lstm(4))
                        .add(Layers.batchNormalization())
                        .add(Layers.dense(1))
                        .compile(mse())
                        .build()));
        return out.stream();
    }

    /** Inputs {@code [batch, steps, ...]} for a spec: uniform floats, or ids with some padding zeros. */
    static Tensor input(ModelSpec spec, int batch, int steps, SplittableRandom rng) {
        if (spec.inputDType() == DType.INT32) {
            int vocab = ((org.rnn4j.api.layers.EmbeddingSpec) spec.layers().get(0)).inputDim();
            int[] ids = new int[batch * steps];
            for (int i = 0; i < ids.length; i++) {
                // A quarter of the ids are padding, including runs at the start of a row.
                ids[i] = rng.nextInt(4) == 0 || (i % steps) < 2 ? 0 : 1 + rng.nextInt(vocab - 1);
            }
            return Tensor.wrapInts(ids, batch, steps);
        }
        int features = spec.inputShape().get(1);
        float[] x = new float[batch * steps * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return Tensor.wrap(x, batch, steps, features);
    }

    static Tensor target(ModelSpec spec, int batch, int steps, SplittableRandom rng) {
        List<Integer> out = spec.outputShape();
        int[] shape = new int[out.size() + 1];
        shape[0] = batch;
        for (int i = 0; i < out.size(); i++) {
            shape[i + 1] = out.get(i) < 0 ? steps : out.get(i);
        }
        if (spec.compile().loss().sparseTargets()) {
            int classes = shape[shape.length - 1];
            int[] ids = new int[(int) Tensor.size(shape) / classes];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = rng.nextInt(classes);
            }
            return Tensor.wrapInts(ids, java.util.Arrays.copyOf(shape, shape.length - 1));
        }
        float[] y = new float[(int) Tensor.size(shape)];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (rng.nextDouble() - 0.5);
        }
        return Tensor.wrap(y, shape);
    }

    /** Dropout masks as the Trainer draws them: 0 or 1/(1-rate). */
    static Map<String, Tensor> noise(ModelSpec spec, int batch, int steps, SplittableRandom rng) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (NoiseSpec n : ModelGraph.noiseSpecs(spec, steps)) {
            int[] shape = n.shapeWithBatch(batch);
            float[] m = new float[(int) Tensor.size(shape)];
            for (int i = 0; i < m.length; i++) {
                m[i] = rng.nextDouble() < n.rate() ? 0f : (float) (1 / (1 - n.rate()));
            }
            out.put(n.name(), Tensor.wrap(m, shape));
        }
        return out;
    }

    /** Sample weights in [0, 2), shaped as the loss values of {@code batch} sequences of {@code steps}. */
    static Tensor sampleWeights(ModelSpec spec, int batch, int steps, SplittableRandom rng) {
        List<Integer> per = org.rnn4j.api.graph.ModelGraph.sampleWeightShape(spec, steps);
        int[] shape = new int[per.size() + 1];
        shape[0] = batch;
        for (int i = 0; i < per.size(); i++) {
            shape[i + 1] = per.get(i);
        }
        float[] w = new float[Math.toIntExact(Tensor.size(shape))];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (2 * rng.nextDouble());
        }
        return Tensor.wrap(w, shape);
    }

    static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double diff = expected.maxAbsDiff(actual);
        assertTrue(
                diff <= tol,
                what + ": max |difference| " + diff + " > " + tol + " (largest |expected| "
                        + expected.maxAbsDiff(Tensor.zeros(expected.shape())) + ")");
    }

    /**
     * Compares the chunked and whole forms of {@code spec} on {@code steps} steps in chunks of
     * {@code chunk}: predict, evaluate, one training step's gradients, then the weights after
     * three Adam steps.
     */
    void compare(String name, ModelSpec spec, int steps, int chunk, long seed) {
        assertTrue(
                SequencePlan.of(spec, Mode.TRAINING).isPresent(),
                name + " must run in chunks: "
                        + SequencePlan.whyNot(spec, Mode.TRAINING).orElse(""));
        SplittableRandom rng = new SplittableRandom(seed);
        int batch = 3;
        Tensor x = input(spec, batch, steps, rng);
        Tensor y = target(spec, batch, steps, rng);
        Map<String, Tensor> masks = noise(spec, batch, steps, rng);
        WeightStore wholeWeights = WeightInitializer.initialized(spec.weights(), seed);
        WeightStore chunkWeights = WeightInitializer.initialized(spec.weights(), seed);
        Counting policy = new Counting(chunk);
        try (Program whole = backend.compile(spec, RecurrencePolicy.whole());
                Program chunked = backend.compile(spec, policy)) {
            assertClose(
                    whole.predict(x, wholeWeights), chunked.predict(x, chunkWeights), tolerance(), name + " predict");
            Program.Evaluation we = whole.evaluate(x, y, wholeWeights);
            Program.Evaluation ce = chunked.evaluate(x, y, chunkWeights);
            assertEquals(we.loss(), ce.loss(), tolerance(), name + " evaluate loss");
            assertClose(we.output(), ce.output(), tolerance(), name + " evaluate output");
            // Keras's sample weights: the pieces that compute the loss read their steps' weights.
            Tensor sw = sampleWeights(spec, batch, steps, rng);
            assertEquals(
                    whole.evaluate(x, y, sw, wholeWeights).loss(),
                    chunked.evaluate(x, y, sw, chunkWeights).loss(),
                    tolerance(),
                    name + " weighted evaluate loss");
            Program.StepResult wsw = whole.trainStep(x, y, sw, wholeWeights, masks);
            Program.StepResult csw = chunked.trainStep(x, y, sw, chunkWeights, masks);
            assertEquals(wsw.loss(), csw.loss(), tolerance(), name + " weighted training loss");
            for (String w : wsw.gradients().keySet()) {
                assertClose(
                        wsw.gradients().get(w),
                        csw.gradients().get(w),
                        gradientTolerance(),
                        name + " weighted gradient of " + w);
            }
            Optimizer wholeOpt = new Optimizer(spec.compile().optimizer());
            Optimizer chunkOpt = new Optimizer(spec.compile().optimizer());
            for (int step = 0; step < 3; step++) {
                Program.StepResult ws = whole.trainStep(x, y, wholeWeights, masks);
                Program.StepResult cs = chunked.trainStep(x, y, chunkWeights, masks);
                assertEquals(ws.loss(), cs.loss(), afterSteps(step), name + " training loss at step " + step);
                assertClose(ws.output(), cs.output(), afterSteps(step), name + " training output at step " + step);
                assertEquals(ws.gradients().keySet(), cs.gradients().keySet(), name + " gradient names");
                for (String w : ws.gradients().keySet()) {
                    assertClose(
                            ws.gradients().get(w),
                            cs.gradients().get(w),
                            gradientTolerance(),
                            name + " gradient of " + w + " at step " + step);
                }
                assertEquals(ws.batchStats().keySet(), cs.batchStats().keySet(), name + " batch statistics");
                for (String s : ws.batchStats().keySet()) {
                    assertClose(ws.batchStats().get(s), cs.batchStats().get(s), afterSteps(step), name + " " + s);
                }
                wholeOpt.apply(wholeWeights, ws.gradients());
                chunkOpt.apply(chunkWeights, cs.gradients());
            }
            for (WeightSpec w : spec.weights()) {
                assertClose(
                        wholeWeights.get(w.name()),
                        chunkWeights.get(w.name()),
                        gradientTolerance(),
                        name + " weight " + w.name() + " after three Adam steps");
            }
        }
        assertTrue(policy.chunked.get() > 0, name + ": the chunked program never chose the chunked form");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void chunkedEqualsWhole(String name, ModelSpec spec) {
        // 11 steps in chunks of 4: pieces of 4, 4, 2 and 1 steps, so every remainder length runs.
        compare(name, spec, 11, 4, 17);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneChunkOfOneStepAndChunksLongerThanTheSequence(String name, ModelSpec spec) {
        compare(name + " (chunks of 1)", spec, 3, 1, 5);
        compare(name + " (one short chunk)", spec, 5, 8, 6);
    }

    /** {@code rows} sine waves of {@code steps + 1} points, period 25 steps, random phases: x and the next point. */
    static Tensor[] sine(int rows, int steps, SplittableRandom rng) {
        float[] x = new float[rows * steps];
        float[] y = new float[rows * steps];
        for (int r = 0; r < rows; r++) {
            double phase = rng.nextDouble() * 2 * Math.PI;
            for (int t = 0; t < steps; t++) {
                x[r * steps + t] = (float) Math.sin(phase + 2 * Math.PI * t / 25);
                y[r * steps + t] = (float) Math.sin(phase + 2 * Math.PI * (t + 1) / 25);
            }
        }
        return new Tensor[] {Tensor.wrap(x, rows, steps, 1), Tensor.wrap(y, rows, steps, 1)};
    }

    /**
     * Truncated BPTT on long sine waves (600 steps in segments of 30, state carried) learns to
     * predict the next point of an unseen wave: its MSE over 450 steps (after a 50-step warm-up)
     * is below 0.001, a twelfth of the 0.0126 of repeating the last point (the naive forecast),
     * where the untrained model is near the wave's variance, 0.5.
     */
    @org.junit.jupiter.api.Test
    void truncatedBpttLearnsASineWave() {
        ModelSpec spec = seq("tbptt_sine", 1)
                .add(Layers.lstm(8).returnSequences(true))
                .add(Layers.timeDistributed(Layers.dense(1)))
                .compile(new CompileSpec(
                        Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-7), List.of()))
                .build();
        Tensor[] train = sine(96, 600, new SplittableRandom(11));
        Tensor[] test = sine(4, 500, new SplittableRandom(99));
        org.rnn4j.api.compile.FitOptions options = org.rnn4j.api.compile.FitOptions.defaults()
                .withBatchSize(8)
                .withTbptt(new org.rnn4j.api.compile.FitOptions.Tbptt(30, 30));
        try (org.rnn4j.api.Model model = org.rnn4j.api.Model.create(spec, backend, 5)) {
            double loss = model.fit(train[0], train[1], options).last("loss");
            Tensor pred = model.predict(test[0]);
            double mse = 0;
            int n = 0;
            for (int r = 0; r < 4; r++) {
                for (int t = 50; t < 500; t++) {
                    double e = pred.floatView()[r * 500 + t] - test[1].floatView()[r * 500 + t];
                    mse += e * e;
                    n++;
                }
            }
            mse /= n;
            assertTrue(mse < 0.001, "test MSE " + mse + " (training loss of the epoch " + loss + ")");
        }
    }

    /**
     * {@code backward < forward} (DL4J's semantics): the recurrent layers learn only from the last
     * {@code backward} steps, backpropagated from the state the segment reached there; the layers
     * after them learn from every step. So the recurrent weights' gradients equal those of training
     * on the last 5 steps alone from the state after the first 7 (scaled by 5/12, the share of the
     * segment's mean loss), and the Dense layer's equal those of full backpropagation.
     */
    @org.junit.jupiter.api.Test
    void truncatedBackwardLengthCutsTheRecurrentGradient() {
        ModelSpec spec = seq("tbptt_cut", 3)
                .add(Layers.lstm(4).returnSequences(true))
                .add(Layers.timeDistributed(Layers.dense(2)))
                .compile(mse())
                .build();
        SplittableRandom rng = new SplittableRandom(8);
        Tensor x = input(spec, 2, 12, rng);
        Tensor y = target(spec, 2, 12, rng);
        WeightStore w = WeightInitializer.initialized(spec.weights(), 9);
        try (Program program = backend.compile(spec)) {
            org.rnn4j.api.backend.RecurrentState zero = org.rnn4j.api.backend.RecurrentState.zeros();
            Program.SegmentResult full = program.trainSegment(x, y, zero, w, Map.of(), 12);
            Program.SegmentResult cut = program.trainSegment(x, y, zero, w, Map.of(), 5);
            org.rnn4j.api.backend.RecurrentState at7 =
                    program.advance(prefix(x, 7), zero, w).state();
            Program.SegmentResult tail = program.trainSegment(suffix(x, 7), suffix(y, 7), at7, w, Map.of(), 5);
            assertEquals(full.step().loss(), cut.step().loss(), tolerance(), "the loss counts every step either way");
            for (String name : List.of("lstm/kernel", "lstm/recurrent_kernel", "lstm/bias")) {
                float[] t = tail.step().gradients().get(name).toFloatArray();
                for (int i = 0; i < t.length; i++) {
                    t[i] *= 5f / 12f;
                }
                assertClose(
                        Tensor.wrap(t, w.spec(name).shapeArray()),
                        cut.step().gradients().get(name),
                        gradientTolerance(),
                        name);
            }
            for (String name : List.of("time_distributed/kernel", "time_distributed/bias")) {
                assertClose(
                        full.step().gradients().get(name),
                        cut.step().gradients().get(name),
                        gradientTolerance(),
                        name);
            }
            assertClose(full.state().get("lstm/h"), cut.state().get("lstm/h"), 0, "the state after the segment");
        }
    }

    /** The cases whose recurrent layers all read forwards: they can run step by step. */
    Stream<Arguments> streamableCases() {
        return cases().filter(a -> SequencePlan.of((ModelSpec) a.get()[1], Mode.INFERENCE)
                .map(SequencePlan::streamable)
                .orElse(false));
    }

    /**
     * A stream fed one step at a time (and then a few steps at once) gives what the whole
     * sequence's graph gives at each step: the output for a sequence-output model, the output over
     * the prefix so far for a last-step one.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("streamableCases")
    void stepByStepEqualsTheWholeSequence(String name, ModelSpec spec) {
        int steps = 7;
        SplittableRandom rng = new SplittableRandom(31);
        Tensor x = input(spec, 3, steps, rng);
        WeightStore weights = WeightInitializer.initialized(spec.weights(), 3);
        try (org.rnn4j.api.Model model = org.rnn4j.api.Model.withWeights(spec, backend, weights.snapshot())) {
            boolean sequence = spec.outputShape().size() >= 2;
            Tensor whole = model.predict(x);
            org.rnn4j.api.Stream stream = model.stream(3);
            for (int t = 0; t < steps; t++) {
                Tensor out = stream.step(step(x, t));
                Tensor expected = sequence ? step(whole, t) : model.predict(prefix(x, t + 1));
                assertClose(expected, out, tolerance(), name + " step " + t);
            }
            // Several steps at once continue the same state; a reset starts over.
            stream.reset();
            Tensor first = stream.advance(prefix(x, 4));
            Tensor rest = stream.advance(suffix(x, 4));
            if (sequence) {
                assertClose(prefix(whole, 4), first, tolerance(), name + " first four steps at once");
                assertClose(suffix(whole, 4), rest, tolerance(), name + " the other three at once");
            } else {
                assertClose(whole, rest, tolerance(), name + " seven steps in two calls");
            }
            // Row 1 starts again from zeros while rows 0 and 2 keep their state.
            stream.reset(1);
            Tensor again = stream.step(step(x, 0));
            Tensor fromZero = model.stream(3).step(step(x, 0));
            Tensor continued = model.stream(3).advance(prefix(appended(x, step(x, 0)), steps + 1));
            Tensor lastOfContinued = sequence ? step(continued, steps) : continued;
            assertClose(row(fromZero, 1), row(again, 1), tolerance(), name + " reset row");
            assertClose(row(lastOfContinued, 0), row(again, 0), tolerance(), name + " kept row");
            // A stream of one row (generation's case), step by step and then two steps at once.
            Tensor x0 = row(x, 0);
            org.rnn4j.api.Stream one = model.stream(1);
            for (int t = 0; t < steps - 2; t++) {
                Tensor out = one.step(step(x0, t));
                Tensor expected = sequence ? row(step(whole, t), 0) : model.predict(prefix(x0, t + 1));
                assertClose(expected, out, tolerance(), name + " one row, step " + t);
            }
            Tensor lastTwo = one.advance(suffix(x0, steps - 2));
            assertClose(
                    row(sequence ? suffix(whole, steps - 2) : whole, 0),
                    lastTwo,
                    tolerance(),
                    name + " one row, the last two steps at once");
        }
    }

    /**
     * A windowed stream over a growing sequence gives, after each step, what predict gives on the
     * last {@code window} steps (each window from the zero state), also after saving and restoring
     * its position around a detour.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("streamableCases")
    void windowedStreamEqualsPredictOnEachWindow(String name, ModelSpec spec) {
        int window = 4;
        int steps = 9;
        SplittableRandom rng = new SplittableRandom(41);
        Tensor x = input(spec, 1, steps, rng);
        WeightStore weights = WeightInitializer.initialized(spec.weights(), 2);
        boolean sequence = spec.outputShape().size() >= 2;
        try (org.rnn4j.api.Model model = org.rnn4j.api.Model.withWeights(spec, backend, weights.snapshot())) {
            org.rnn4j.api.WindowedStream w = model.windowedStream(window);
            Tensor out = w.start(single(rows(x, 0, window)));
            for (int end = window; end <= steps; end++) {
                Tensor expected = model.predict(rows(x, end - window, window));
                if (sequence) {
                    expected = step(expected, window - 1);
                }
                assertClose(expected, out, tolerance(), name + " window ending at step " + end);
                if (end == 6) {
                    org.rnn4j.api.WindowedStream.Position p = w.position();
                    w.push(single(step(x, 0)));
                    w.restore(p);
                }
                if (end < steps) {
                    out = w.push(single(step(x, end)));
                }
            }
        }
    }

    /**
     * The sliding-window predictor gives predict's output for each window's last step, whether a
     * window slid one step (a pushed step), jumped (a fresh start) or came as a batch (predict).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void slidingWindowPredictorEqualsPredict(String name, ModelSpec spec) {
        int window = 5;
        SplittableRandom rng = new SplittableRandom(43);
        Tensor x = input(spec, 1, 12, rng);
        WeightStore weights = WeightInitializer.initialized(spec.weights(), 4);
        boolean sequence = spec.outputShape().size() >= 2;
        try (org.rnn4j.api.Model model = org.rnn4j.api.Model.withWeights(spec, backend, weights.snapshot())) {
            java.util.function.UnaryOperator<Tensor> sliding = model.slidingWindowPredictor();
            for (int start : new int[] {0, 1, 2, 3, 7, 6, 7}) {
                Tensor w = rows(x, start, window);
                Tensor expected = model.predict(w);
                if (sequence) {
                    expected = rows(expected, window - 1, 1);
                }
                assertClose(expected, sliding.apply(w), tolerance(), name + " window at " + start);
            }
            Tensor two = input(spec, 2, window, rng);
            assertClose(model.predict(two), sliding.apply(two), 0, name + " a batch of two goes to predict");
        }
    }

    /** The only row of a batch of one, without the batch axis. */
    static Tensor single(Tensor x) {
        int[] s = x.shape();
        return x.reshape(java.util.Arrays.copyOfRange(s, 1, s.length));
    }

    /** Step {@code t} of {@code [batch, time, ...]}: {@code [batch, ...]}. */
    static Tensor step(Tensor x, int t) {
        Tensor r = rows(x, t, 1);
        int[] s = r.shape();
        int[] squeezed = new int[s.length - 1];
        squeezed[0] = s[0];
        System.arraycopy(s, 2, squeezed, 1, s.length - 2);
        return r.reshape(squeezed);
    }

    static Tensor prefix(Tensor x, int n) {
        return rows(x, 0, n);
    }

    static Tensor suffix(Tensor x, int from) {
        return rows(x, from, x.dim(1) - from);
    }

    /** {@code x} with one more step {@code s} ({@code [batch, ...]}) at its end. */
    static Tensor appended(Tensor x, Tensor s) {
        int b = x.dim(0);
        int t = x.dim(1);
        int inner = x.size() / (b * t);
        int[] shape = x.shape();
        shape[1] = t + 1;
        if (x.dtype() == DType.INT32) {
            int[] out = new int[b * (t + 1) * inner];
            for (int i = 0; i < b; i++) {
                System.arraycopy(x.intView(), i * t * inner, out, i * (t + 1) * inner, t * inner);
                System.arraycopy(s.intView(), i * inner, out, (i * (t + 1) + t) * inner, inner);
            }
            return Tensor.wrapInts(out, shape);
        }
        float[] out = new float[b * (t + 1) * inner];
        for (int i = 0; i < b; i++) {
            System.arraycopy(x.floatView(), i * t * inner, out, i * (t + 1) * inner, t * inner);
            System.arraycopy(s.floatView(), i * inner, out, (i * (t + 1) + t) * inner, inner);
        }
        return Tensor.wrap(out, shape);
    }

    /** Steps {@code [start, start + length)} of {@code [batch, time, ...]}. */
    static Tensor rows(Tensor x, int start, int length) {
        int b = x.dim(0);
        int t = x.dim(1);
        int inner = x.size() / (b * t);
        int[] shape = x.shape();
        shape[1] = length;
        if (x.dtype() == DType.INT32) {
            int[] out = new int[b * length * inner];
            for (int i = 0; i < b; i++) {
                System.arraycopy(x.intView(), (i * t + start) * inner, out, i * length * inner, length * inner);
            }
            return Tensor.wrapInts(out, shape);
        }
        float[] out = new float[b * length * inner];
        for (int i = 0; i < b; i++) {
            System.arraycopy(x.floatView(), (i * t + start) * inner, out, i * length * inner, length * inner);
        }
        return Tensor.wrap(out, shape);
    }

    static Tensor row(Tensor x, int i) {
        return x.sliceRows(i, i + 1);
    }

    /** Whether a model has a recurrent layer: only those have a chunked form to compare. */
    static boolean recurrent(ModelSpec spec) {
        return spec.layers().stream()
                .anyMatch(l -> l instanceof org.rnn4j.api.layers.RecurrentSpec
                        || l instanceof org.rnn4j.api.layers.BidirectionalSpec);
    }

    /**
     * Layer types the chunked path does not cut (yet): the Keras-parity layers that read or change
     * the time axis as a whole, or mask it. A model with one runs its whole-sequence graph.
     */
    private static final java.util.Set<String> NOT_CHUNKED = java.util.Set.of(
            "Masking",
            "Conv1D",
            "MaxPooling1D",
            "AveragePooling1D",
            "GlobalAveragePooling1D",
            "GlobalMaxPooling1D",
            "LayerNormalization",
            "RepeatVector",
            "Flatten");

    /** Whether the chunked path is meant to run {@code spec}: recurrent, and built of layers it cuts. */
    static boolean chunkable(ModelSpec spec) {
        // TimeDistributed(any vector layer) works step by step, so it is cut like any other layer.
        return recurrent(spec) && spec.layers().stream().noneMatch(l -> NOT_CHUNKED.contains(l.typeName()));
    }

    /**
     * Models with an activity regularizer run whole (the pieces carry no activity penalty); weight
     * penalties are added by the driver, and the pieces that compute the loss read sample weights.
     */
    static boolean runsWholeForTraining(String folder, ModelSpec spec) {
        return !org.rnn4j.api.json.SpecJson.toJson(spec).findValues("activity_regularizer").stream()
                .allMatch(com.fasterxml.jackson.databind.JsonNode::isNull);
    }

    /** The reference cases with a recurrent layer (the others, Dense-only, always run whole). */
    static Stream<String> oracleForwardCases() {
        return OracleCases.forwardCases().stream()
                .filter(n -> chunkable(OracleCases.model("oracle/cases/" + n).spec()));
    }

    static Stream<String> oracleTrainCases() {
        return OracleCases.trainCases().stream().filter(n -> {
            ModelSpec spec = OracleCases.model("oracle/train_cases/" + n).spec();
            return chunkable(spec) && !runsWholeForTraining("oracle/train_cases/" + n, spec);
        });
    }

    /**
     * The reference cases left out of the two tests below are exactly those without a recurrent
     * layer or with a layer in {@link #NOT_CHUNKED}, which have no chunked form; every other case
     * has one, so none is left out unseen.
     */
    @org.junit.jupiter.api.Test
    void exactlyTheReferenceCasesWithoutARecurrentLayerHaveNoChunkedForm() {
        int without = 0;
        for (String n : OracleCases.forwardCases()) {
            ModelSpec s = OracleCases.model("oracle/cases/" + n).spec();
            assertEquals(
                    chunkable(s),
                    SequencePlan.of(s, Mode.INFERENCE).isPresent(),
                    n + ": " + SequencePlan.whyNot(s, Mode.INFERENCE).orElse("has a chunked form"));
            without += chunkable(s) ? 0 : 1;
        }
        for (String n : OracleCases.trainCases()) {
            ModelSpec s = OracleCases.model("oracle/train_cases/" + n).spec();
            boolean trainsInChunks = chunkable(s);
            assertEquals(
                    trainsInChunks,
                    SequencePlan.of(s, Mode.TRAINING).isPresent(),
                    n + ": " + SequencePlan.whyNot(s, Mode.TRAINING).orElse("has a chunked form"));
            without += trainsInChunks ? 0 : 1;
        }
        assertTrue(without
                < OracleCases.forwardCases().size() + OracleCases.trainCases().size());
    }

    /**
     * The TensorFlow.js reference cases run in chunks of 2 steps: within 1e-5 of the references,
     * {@link #tolerance} of the whole graph.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("oracleForwardCases")
    void referenceCasesInChunks(String name) {
        String folder = "oracle/cases/" + name;
        org.rnn4j.api.io.LoadedModel model = OracleCases.model(folder);
        assertTrue(
                SequencePlan.of(model.spec(), Mode.INFERENCE).isPresent(),
                () -> name + " has no chunked form: "
                        + SequencePlan.whyNot(model.spec(), Mode.INFERENCE).orElse(""));
        Tensor input = OracleCases.tensor(folder + "/input.json");
        Tensor expected = OracleCases.tensor(folder + "/expected.json");
        WeightStore weights = BackendConformanceTest.store(model.spec(), model.weights());
        Counting policy = new Counting(2);
        try (Program chunked = backend.compile(model.spec(), policy);
                Program whole = backend.compile(model.spec(), RecurrencePolicy.whole())) {
            Tensor out = chunked.predict(input, weights);
            assertClose(expected, out, 1e-5, name + " against TensorFlow.js");
            assertClose(whole.predict(input, weights), out, tolerance(), name + " against the whole graph");
        }
        assertTrue(policy.chunked.get() > 0, name + " ran in chunks");
    }

    /**
     * The Keras reference training cases trained in chunks of 2 steps: the same losses and final
     * weights as the references (the tolerances of {@link BackendConformanceTest}), and the same
     * weights as the whole graph within 1e-6.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("oracleTrainCases")
    void referenceTrainingInChunks(String name) {
        String folder = "oracle/train_cases/" + name;
        com.fasterxml.jackson.databind.JsonNode train = OracleCases.json(folder + "/train.json");
        org.rnn4j.api.io.LoadedModel model = OracleCases.model(folder);
        CompileSpec compile;
        if (train.has("rnn4j_compile")) {
            compile = org.rnn4j.api.json.SpecJson.readCompile(train.get("rnn4j_compile"), folder + "/train.json");
        } else {
            com.fasterxml.jackson.databind.JsonNode opt = train.get("optimizer");
            OptimizerSpec o = opt.get("class_name").asText().equals("SGD")
                    ? new OptimizerSpec.Sgd(
                            opt.get("learning_rate").asDouble(),
                            opt.get("momentum").asDouble(),
                            false)
                    : new OptimizerSpec.Adam(
                            opt.get("learning_rate").asDouble(),
                            opt.get("beta_1").asDouble(),
                            opt.get("beta_2").asDouble(),
                            opt.get("epsilon").asDouble());
            compile = new CompileSpec(Loss.fromJson(train.get("loss").asText()), o, List.of());
        }
        OptimizerSpec optimizer = compile.optimizer();
        ModelSpec spec = model.spec().withCompile(compile);
        assertTrue(
                SequencePlan.of(spec, Mode.TRAINING).isPresent(),
                () -> name + " has no chunked form: "
                        + SequencePlan.whyNot(spec, Mode.TRAINING).orElse(""));
        Tensor x = OracleCases.tensor(folder + "/input.json");
        Tensor y = OracleCases.tensor(folder + "/target.json");
        Tensor sampleWeight = OracleCases.exists(folder + "/sample_weight.json")
                ? OracleCases.tensor(folder + "/sample_weight.json")
                : null;
        com.fasterxml.jackson.databind.JsonNode losses =
                OracleCases.json(folder + "/losses.json").get("losses");
        int steps = train.get("steps").asInt();
        WeightStore chunkWeights = BackendConformanceTest.store(spec, model.weights());
        WeightStore wholeWeights = BackendConformanceTest.store(spec, model.weights());
        Optimizer chunkOpt = new Optimizer(optimizer);
        Optimizer wholeOpt = new Optimizer(optimizer);
        Counting policy = new Counting(2);
        try (Program chunked = backend.compile(spec, policy);
                Program whole = backend.compile(spec, RecurrencePolicy.whole())) {
            for (int step = 0; step < steps; step++) {
                Program.StepResult c = chunked.trainStep(x, y, sampleWeight, chunkWeights, Map.of());
                double ref = losses.get(step).asDouble();
                assertTrue(
                        Math.abs(c.loss() - ref) <= (step == 0 ? 1e-5 : 5e-5) * Math.abs(ref),
                        name + ": loss at step " + step + " = " + c.loss() + ", reference " + ref);
                chunkOpt.apply(chunkWeights, c.gradients());
                wholeOpt.apply(
                        wholeWeights,
                        whole.trainStep(x, y, sampleWeight, wholeWeights, Map.of())
                                .gradients());
            }
        }
        Map<String, Tensor> after = BackendConformanceTest.weightsAfter(folder, spec);
        double tol = steps == 1 && !(optimizer instanceof OptimizerSpec.Adam) ? 1e-6 : 1e-5;
        for (Map.Entry<String, Tensor> e : after.entrySet()) {
            assertClose(e.getValue(), chunkWeights.get(e.getKey()), tol, name + " " + e.getKey() + " against Keras");
            assertClose(
                    wholeWeights.get(e.getKey()),
                    chunkWeights.get(e.getKey()),
                    gradientTolerance(),
                    name + " " + e.getKey());
        }
        assertTrue(policy.chunked.get() > 0, name + " ran in chunks");
    }

    /** The random stacks this backend runs ({@link #allRandomModels} with the models it {@link #exercises}). */
    protected Stream<Arguments> randomModels() {
        return allRandomModels().filter(a -> exercises((ModelSpec) a.get()[1]));
    }

    /** Random stacks of recurrent layers up to 200 steps, chunked at random lengths. */
    static Stream<Arguments> allRandomModels() {
        List<Arguments> out = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(2024);
        for (int m = 0; m < 6; m++) {
            int features = 1 + rng.nextInt(3);
            Sequential b = seq("random_" + m, features);
            int layers = 1 + rng.nextInt(3);
            for (int l = 0; l < layers; l++) {
                boolean last = l == layers - 1;
                boolean sequence = !last || rng.nextBoolean();
                int units = 2 + rng.nextInt(4);
                org.rnn4j.api.layers.RecurrentSpec r = switch (rng.nextInt(4)) {
                    case 0 -> Layers.simpleRnn(units);
                    case 1 -> Layers.lstm(units);
                    case 2 -> Layers.gru(units).resetAfter(true);
                    default -> Layers.gru(units).resetAfter(false);
                };
                r = r.returnSequences(sequence);
                int kind = rng.nextInt(5);
                if (kind == 0) {
                    b.add(Layers.bidirectional(
                            r, List.of(MergeMode.values()).get(rng.nextInt(MergeMode.values().length))));
                } else if (kind == 1) {
                    b.add(r.goBackwards(true));
                } else {
                    b.add(r);
                }
            }
            b.add(Layers.dense(1 + rng.nextInt(2)));
            int steps = 1 + rng.nextInt(200);
            int chunk = 1 + rng.nextInt(64);
            out.add(Arguments.of(
                    "random_" + m + " (" + steps + " steps, chunks of " + chunk + ")",
                    b.compile(mse()).build(),
                    steps,
                    chunk));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomModels")
    void randomModelsChunkedEqualWhole(String name, ModelSpec spec, int steps, int chunk) {
        compare(name, spec, steps, chunk, steps);
    }
}
