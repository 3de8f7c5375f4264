package org.rnn4j.backend.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/** The ND4J programs against an independent double-precision reference and finite differences. */
class Dl4jProgramTest {
    private static final Dl4jBackend BACKEND = new Dl4jBackend();

    @AfterAll
    static void closeBackend() {
        BACKEND.close();
    }

    /** Every weight uniform in [-0.5, 0.5) (variances in [0.5, 1)), so biases and BatchNorm statistics matter. */
    static WeightStore randomWeights(ModelSpec spec, long seed) {
        WeightStore store = new WeightStore(spec.weights());
        Random r = new Random(seed);
        for (WeightSpec w : spec.weights()) {
            float[] a = store.array(w.name());
            for (int i = 0; i < a.length; i++) {
                a[i] = w.name().endsWith("moving_variance") ? 0.5f + r.nextFloat() / 2 : r.nextFloat() - 0.5f;
            }
        }
        store.touch();
        return store;
    }

    /** {@code layer} on sequences of any length with 2 features, then Dense(1); MSE, SGD. */
    static ModelSpec sequenceToOne(RecurrentSpec layer) {
        return Sequential.builder()
                .input(-1, 2)
                .add(layer)
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
    }

    static Tensor randomInput(long seed, int... shape) {
        Random r = new Random(seed);
        float[] x = new float[Math.toIntExact(Tensor.size(shape))];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * r.nextFloat() - 1;
        }
        return Tensor.of(x, shape);
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape());
        double d = expected.maxAbsDiff(actual);
        assertTrue(d <= tol, "max abs diff " + d + " > " + tol);
    }

    private static void checkForward(ModelSpec spec, Tensor input) {
        WeightStore w = randomWeights(spec, 7);
        try (Program p = BACKEND.compile(spec)) {
            Tensor got = p.predict(input, w);
            assertClose(new KerasReference(spec, w).predict(input), got, 1e-5);
        }
    }

    @Test
    void simpleRnnStackIntoLstmAndDense() {
        checkForward(
                Sequential.builder()
                        .input(5, 3)
                        .add(Layers.simpleRnn(4).returnSequences(true))
                        .add(Layers.lstm(3))
                        .add(Layers.dense(2, Activation.TANH))
                        .build(),
                randomInput(1, 2, 5, 3));
    }

    @Test
    void lstmWithBothHardSigmoidsGoBackwardsAndTimeDistributed() {
        checkForward(
                Sequential.builder()
                        .input(6, 2)
                        .add(Layers.lstm(4)
                                .recurrentActivation(Activation.HARD_SIGMOID_KERAS2)
                                .returnSequences(true))
                        .add(Layers.lstm(3)
                                .recurrentActivation(Activation.HARD_SIGMOID)
                                .goBackwards(true)
                                .returnSequences(true))
                        .add(Layers.timeDistributed(Layers.dense(2, Activation.SIGMOID)))
                        .build(),
                randomInput(2, 3, 6, 2));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gruBothResetVariants(boolean resetAfter) {
        checkForward(
                Sequential.builder()
                        .input(7, 3)
                        .add(Layers.gru(4).resetAfter(resetAfter))
                        .add(Layers.dense(2))
                        .build(),
                randomInput(3, 3, 7, 3));
    }

    @Test
    void embeddingMaskZeroGruSequenceSoftmax() {
        ModelSpec spec = Sequential.builder()
                .tokenInput(6)
                .add(Layers.embedding(9, 3).maskZero(true))
                .add(Layers.gru(4).returnSequences(true))
                .add(Layers.timeDistributed(Layers.dense(5, Activation.SOFTMAX)))
                .build();
        // Padding at the start, in the middle and at the end.
        checkForward(spec, Tensor.ofInts(new int[] {0, 0, 3, 8, 1, 2, 4, 0, 5, 6, 0, 0, 7, 7, 7, 7, 7, 1}, 3, 6));
    }

    @Test
    void bidirectionalBatchNormAndDropoutInInference() {
        checkForward(
                Sequential.builder()
                        .input(5, 2)
                        .add(Layers.bidirectional(Layers.lstm(3).returnSequences(true)))
                        .add(Layers.batchNormalization())
                        .add(Layers.dropout(0.3))
                        .add(Layers.bidirectional(Layers.simpleRnn(2), MergeMode.AVE))
                        .add(Layers.dense(1))
                        .build(),
                randomInput(4, 2, 5, 2));
    }

    @Test
    void trainingDropoutUsesTheGivenMasksAndBatchStatsAreBatchMoments() {
        ModelSpec spec = Sequential.builder()
                .input(4, 3)
                .add(Layers.batchNormalization())
                .add(Layers.dropout(0.5))
                .add(Layers.simpleRnn(3)
                        .withOptions(
                                Layers.simpleRnn(3).options().withDropout(0.25).withRecurrentDropout(0.5)))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        WeightStore w = randomWeights(spec, 11);
        Tensor x = randomInput(5, 2, 4, 3);
        Map<String, Tensor> noise = new HashMap<>();
        Random r = new Random(3);
        for (NoiseSpec n : ModelGraph.noiseSpecs(spec, 4)) {
            int[] shape = n.shapeWithBatch(2);
            float[] m = new float[Math.toIntExact(Tensor.size(shape))];
            for (int i = 0; i < m.length; i++) {
                m[i] = r.nextDouble() < n.rate() ? 0 : (float) (1 / (1 - n.rate()));
            }
            noise.put(n.name(), Tensor.of(m, shape));
        }
        assertEquals(3, noise.size());
        try (Program p = BACKEND.compile(spec)) {
            Program.StepResult step = p.trainStep(x, Tensor.zeros(2, 1), w, noise);
            // BatchNormalization is first, so its batch statistics are the moments of the input over batch and time.
            float[] mean = new float[3];
            float[] var = new float[3];
            float[] xs = x.floatView();
            for (int i = 0; i < xs.length; i++) {
                mean[i % 3] += xs[i] / 8;
            }
            for (int i = 0; i < xs.length; i++) {
                var[i % 3] += (xs[i] - mean[i % 3]) * (xs[i] - mean[i % 3]) / 8;
            }
            assertArrayEquals(
                    mean,
                    step.batchStats().get("batch_normalization/moving_mean").floatView(),
                    1e-6f);
            assertArrayEquals(
                    var,
                    step.batchStats().get("batch_normalization/moving_variance").floatView(),
                    1e-6f);
            assertEquals(
                    List.of(
                            "batch_normalization/gamma",
                            "batch_normalization/beta",
                            "simple_rnn/kernel",
                            "simple_rnn/recurrent_kernel",
                            "simple_rnn/bias",
                            "dense/kernel",
                            "dense/bias"),
                    List.copyOf(step.gradients().keySet()));
            // The output with masks differs from inference; inference ignores the masks.
            assertNotEquals(p.predict(x, w), step.output());
            assertTrue(step.output().isFinite());
        }
    }

    @Test
    void variableLengthBuildsOneGraphPerLengthAndMode() {
        ModelSpec spec = sequenceToOne(Layers.gru(3));
        WeightStore w = randomWeights(spec, 2);
        try (Dl4jProgram p = new Dl4jProgram(spec, BACKEND.recurrencePolicy(), () -> {})) {
            for (int i = 0; i < 3; i++) {
                assertClose(
                        new KerasReference(spec, w).predict(randomInput(i, 2, 4, 2)),
                        p.predict(randomInput(i, 2, 4, 2), w),
                        1e-5);
                p.predict(randomInput(i, 3, 6, 2), w);
                p.trainStep(randomInput(i, 2, 4, 2), Tensor.zeros(2, 1), w, Map.of());
            }
            assertEquals(3, p.graphCount());
        }
    }

    /** Variable lengths build one training graph per length; only the last one keeps its LSTM working arrays. */
    @Test
    void onlyTheLastTrainingGraphKeepsWorkingArrays() {
        ModelSpec spec = sequenceToOne(Layers.lstm(3));
        WeightStore w = randomWeights(spec, 4);
        try (Dl4jProgram p = new Dl4jProgram(spec, BACKEND.recurrencePolicy(), () -> {})) {
            assertEquals(0, p.keptBytes());
            double first = p.trainStep(randomInput(1, 2, 4, 2), Tensor.zeros(2, 1), w, Map.of())
                    .loss();
            long one = p.keptBytes();
            assertTrue(one > 0, "the fused LSTM keeps its arrays after a step");
            for (int steps = 5; steps < 9; steps++) {
                p.trainStep(randomInput(steps, 2, steps, 2), Tensor.zeros(2, 1), w, Map.of());
            }
            // [time, batch, ...] arrays of 8 steps instead of 4: about twice, never the sum over five lengths
            assertTrue(
                    p.keptBytes() < 3 * one, p.keptBytes() + " bytes kept after five lengths, " + one + " after one");
            assertEquals(
                    first,
                    p.trainStep(randomInput(1, 2, 4, 2), Tensor.zeros(2, 1), w, Map.of())
                            .loss(),
                    "released arrays are made again");
        }
    }

    /**
     * A fused LSTM binds its element-wise calls once per set of kept arrays: forwards 4 a step and
     * step 0's without a fed cell state; backwards 11 a step and 5 on shared arrays, and only once
     * a pass of that set is differentiated. Counted by hand from the step's equations.
     */
    @Test
    void lstmBindsItsBackwardCallsOnlyForTraining() {
        ModelSpec spec = sequenceToOne(Layers.lstm(3));
        WeightStore w = randomWeights(spec, 5);
        int steps = 4;
        int forward = 4 * steps + 1;
        int backward = 11 * steps + 5;
        try (Dl4jProgram p = new Dl4jProgram(spec, BACKEND.recurrencePolicy(), () -> {})) {
            p.advance(randomInput(2, 2, steps, 2), RecurrentState.zeros(), w);
            assertEquals(forward, p.keptOps(), "a stream pass binds its forward calls only");
            p.trainStep(randomInput(3, 2, steps, 2), Tensor.zeros(2, 1), w, Map.of());
            assertEquals(forward + forward + backward, p.keptOps(), "a training pass binds both");
            p.trainStep(randomInput(4, 2, steps, 2), Tensor.zeros(2, 1), w, Map.of());
            assertEquals(forward + forward + backward, p.keptOps(), "once per set, not per run");
        }
    }

    /**
     * A fused GRU binds its element-wise calls once per set of kept arrays, counted by hand from the
     * step's equations (T steps, no fed state, sequence to one). With reset_after, forwards 6 a
     * step but {@code D = h' - hh} at step 0; backwards 4 a step and the gradient handed to the
     * step before, from step 1 on. Without: forwards also not {@code r*h'} at step 0; backwards 3
     * a step, and 3 handing back from step 1 on. A pass that will not be differentiated keeps none
     * and leaves none open; closing the program closes the kept ones.
     */
    @Test
    void gruBindsItsCallsOnlyForTraining() {
        int steps = 4;
        long openBefore = BoundOp.open();
        for (boolean resetAfter : new boolean[] {true, false}) {
            ModelSpec spec = sequenceToOne(Layers.gru(3).resetAfter(resetAfter));
            WeightStore w = randomWeights(spec, 6);
            int bound = resetAfter
                    ? (6 * steps - 1) + (4 * steps + steps - 1)
                    : (6 * steps - 2) + (3 * steps + 3 * (steps - 1));
            try (Dl4jProgram p = new Dl4jProgram(spec, BACKEND.recurrencePolicy(), () -> {})) {
                long open = BoundOp.open();
                p.predict(randomInput(2, 2, steps, 2), w);
                p.advance(randomInput(2, 2, steps, 2), RecurrentState.zeros(), w);
                assertEquals(0, p.keptOps(), "reset_after " + resetAfter + ": inference keeps no bound calls");
                assertEquals(open, BoundOp.open(), "reset_after " + resetAfter + ": and leaves none open");
                p.trainStep(randomInput(3, 2, steps, 2), Tensor.zeros(2, 1), w, Map.of());
                assertEquals(bound, p.keptOps(), "reset_after " + resetAfter + ": a training pass binds both");
                p.trainStep(randomInput(4, 2, steps, 2), Tensor.zeros(2, 1), w, Map.of());
                assertEquals(bound, p.keptOps(), "reset_after " + resetAfter + ": once per set, not per run");
                assertEquals(open + bound, BoundOp.open(), "reset_after " + resetAfter + ": the kept ones are open");
            }
            assertEquals(0, BoundOp.open() - openBefore, "reset_after " + resetAfter + ": closing closes them");
        }
    }

    @Test
    void weightChangesReachBothTheInferenceAndTheGradientGraph() {
        ModelSpec spec = Sequential.builder()
                .input(3, 2)
                .add(Layers.simpleRnn(2))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        WeightStore w = randomWeights(spec, 3);
        Tensor x = randomInput(9, 2, 3, 2);
        Tensor y = Tensor.zeros(2, 1);
        try (Program p = BACKEND.compile(spec)) {
            double before = p.trainStep(x, y, w, Map.of()).loss();
            assertEquals(before, p.evaluate(x, y, w).loss(), 1e-7);
            w.array("dense/bias")[0] += 1f;
            w.touch();
            double after = p.trainStep(x, y, w, Map.of()).loss();
            assertNotEquals(before, after);
            assertEquals(after, p.evaluate(x, y, w).loss(), 1e-7);
            assertClose(new KerasReference(spec, w).predict(x), p.predict(x, w), 1e-5);
        }
    }

    /** Central finite differences of the inference loss for every trainable weight element. */
    private static void checkGradients(ModelSpec spec, Tensor x, Tensor y, long seed) {
        WeightStore w = randomWeights(spec, seed);
        float h = 1e-2f;
        try (Program p = BACKEND.compile(spec)) {
            Program.StepResult step = p.trainStep(x, y, w, Map.of());
            assertEquals(p.evaluate(x, y, w).loss(), step.loss(), 1e-6);
            int checked = 0;
            for (WeightSpec ws : spec.weights()) {
                if (!ws.trainable()) {
                    continue;
                }
                float[] a = w.array(ws.name());
                float[] g = step.gradients().get(ws.name()).floatView();
                assertEquals(a.length, g.length);
                for (int i = 0; i < a.length; i++) {
                    float old = a[i];
                    a[i] = old + h;
                    w.touch();
                    double up = p.evaluate(x, y, w).loss();
                    a[i] = old - h;
                    w.touch();
                    double down = p.evaluate(x, y, w).loss();
                    a[i] = old;
                    w.touch();
                    double fd = (up - down) / (2 * h);
                    double tol = 2e-2 * Math.max(Math.abs(fd), Math.abs(g[i])) + 2e-4;
                    assertEquals(fd, g[i], tol, ws.name() + "[" + i + "]");
                    checked++;
                }
            }
            assertTrue(checked > 20);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gruGradientsMatchFiniteDifferences(boolean resetAfter) {
        ModelSpec spec = Sequential.builder()
                .input(4, 2)
                .add(Layers.gru(3).resetAfter(resetAfter))
                .add(Layers.dense(2))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        checkGradients(spec, randomInput(21, 3, 4, 2), randomInput(22, 3, 2), 5);
    }

    /** Stacked LSTMs without a mask run as fused nodes (TapeLstm), with and without biases. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void fusedLstmGradientsMatchFiniteDifferences(boolean useBias) {
        ModelSpec spec = Sequential.builder()
                .input(4, 2)
                .add(Layers.lstm(3).returnSequences(true).useBias(useBias))
                .add(Layers.lstm(2).useBias(useBias))
                .add(Layers.dense(2))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        checkGradients(spec, randomInput(41, 3, 4, 2), randomInput(42, 3, 2), 6);
    }

    @Test
    void embeddingLstmSparseCrossEntropyGradientsMatchFiniteDifferences() {
        ModelSpec spec = Sequential.builder()
                .tokenInput(4)
                .add(Layers.embedding(5, 2).maskZero(true))
                .add(Layers.lstm(2))
                .add(Layers.dense(3, Activation.SOFTMAX))
                .compile(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Sgd())
                .build();
        // Token 1 repeats, so its embedding gradient must add up; token 4 is absent, so its row gets zeros.
        checkGradients(
                spec, Tensor.ofInts(new int[] {0, 1, 1, 2, 3, 1, 0, 0}, 2, 4), Tensor.ofInts(new int[] {2, 0}, 2), 6);
    }

    @Test
    void repeatedRunsAreBitIdentical() {
        ModelSpec spec = Sequential.builder()
                .input(8, 3)
                .add(Layers.lstm(16).returnSequences(true))
                .add(Layers.gru(16))
                .add(Layers.dense(4))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                .build();
        WeightStore w = randomWeights(spec, 8);
        Tensor x = randomInput(30, 16, 8, 3);
        Tensor y = randomInput(31, 16, 4);
        Map<String, Tensor> firstGrads;
        Tensor firstOut;
        double firstLoss;
        try (Program p = BACKEND.compile(spec)) {
            Program.StepResult s = p.trainStep(x, y, w, Map.of());
            firstGrads = new LinkedHashMap<>(s.gradients());
            firstOut = p.predict(x, w);
            firstLoss = s.loss();
            for (int i = 0; i < 3; i++) {
                Program.StepResult again = p.trainStep(x, y, w, Map.of());
                assertEquals(firstLoss, again.loss());
                assertEquals(firstGrads, again.gradients());
                assertEquals(firstOut, p.predict(x, w));
            }
        }
        try (Program fresh = BACKEND.compile(spec)) {
            Program.StepResult s = fresh.trainStep(x, y, w, Map.of());
            assertEquals(firstGrads, s.gradients());
            assertEquals(firstOut, fresh.predict(x, w));
        }
    }

    @Test
    void trainingWritesNothingToStdoutAndRunsFromAnyThread() throws Exception {
        ModelSpec spec = Sequential.builder()
                .input(5, 2)
                .add(Layers.lstm(4))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        WeightStore w = randomWeights(spec, 9);
        Tensor x = randomInput(40, 3, 5, 2);
        Tensor y = randomInput(41, 3, 1);
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        Program.StepResult first;
        try (Program p = BACKEND.compile(spec)) {
            System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                System.out.println("before");
                first = p.trainStep(x, y, w, Map.of());
                System.out.println("after");
            } finally {
                System.setOut(original);
            }
            // The backend prints nothing (SameDiff, used before, printed a line per differentiated op).
            assertEquals(
                    "before" + System.lineSeparator() + "after" + System.lineSeparator(),
                    captured.toString(java.nio.charset.StandardCharsets.UTF_8));
            Program.StepResult[] other = new Program.StepResult[1];
            Thread t = new Thread(() -> other[0] = p.trainStep(x, y, w, Map.of()));
            t.start();
            t.join();
            assertEquals(first.loss(), other[0].loss());
            assertEquals(first.gradients(), other[0].gradients());
            assertEquals(first.gradients(), p.trainStep(x, y, w, Map.of()).gradients());
        }
    }

    @Test
    void closedProgramRefusesCalls() {
        ModelSpec spec =
                Sequential.name("closing").input(3, 1).add(Layers.simpleRnn(2)).build();
        WeightStore w = randomWeights(spec, 1);
        Dl4jProgram p = new Dl4jProgram(spec, BACKEND.recurrencePolicy(), () -> {});
        p.predict(randomInput(1, 1, 3, 1), w);
        p.evaluate(randomInput(1, 1, 3, 1), Tensor.zeros(1, 2), w);
        assertEquals(2, p.graphCount());
        p.close();
        assertEquals(0, p.graphCount());
        p.close();
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> p.predict(randomInput(1, 1, 3, 1), w));
        assertEquals("the dl4j program of model 'closing' is closed; compile the model again", e.getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> p.trainStep(randomInput(1, 1, 3, 1), Tensor.zeros(1, 2), w, Map.of()));
    }
}
