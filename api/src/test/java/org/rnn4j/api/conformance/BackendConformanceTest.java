package org.rnn4j.api.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.Capability;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.Optimizer;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.api.weights.WeightStore;

/**
 * The one conformance suite every backend passes: a backend's test is a one-method subclass.
 * Forward outputs must match the TensorFlow.js reference cases within 1e-5; one SGD step within
 * 1e-6 and three Keras-Adam steps within 1e-5 of the reference weights; gradients must match
 * finite differences; repeated runs must be bit-identical where the backend says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformanceTest {
    private Backend backend;

    /** A new instance of the backend under test. */
    protected abstract Backend createBackend();

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

    protected Backend backend() {
        return backend;
    }

    static Stream<String> forwardCases() {
        return OracleCases.forwardCases().stream();
    }

    static Stream<String> trainCases() {
        return OracleCases.trainCases().stream();
    }

    static WeightStore store(ModelSpec spec, Map<String, Tensor> weights) {
        WeightStore store = new WeightStore(spec.weights());
        store.setAll(weights);
        return store;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forwardCases")
    void forwardMatchesTensorFlowJs(String name) {
        String folder = "oracle/cases/" + name;
        LoadedModel model = OracleCases.model(folder);
        Tensor input = OracleCases.tensor(folder + "/input.json");
        Tensor expected = OracleCases.tensor(folder + "/expected.json");
        try (Program program = backend.compile(model.spec())) {
            Tensor out = program.predict(input, store(model.spec(), model.weights()));
            assertArrayEquals(expected.shape(), out.shape(), "output shape");
            double diff = out.maxAbsDiff(expected);
            assertTrue(diff <= 1e-5, name + ": max |difference| " + diff + " > 1e-5");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trainCases")
    void trainingStepsMatchKeras(String name) {
        String folder = "oracle/train_cases/" + name;
        JsonNode train = OracleCases.json(folder + "/train.json");
        LoadedModel model = OracleCases.model(folder);
        CompileSpec compile;
        boolean oneStep;
        if (train.has("rnn4j_compile")) {
            // Newer cases state the compile block in rnn4j's own spec form (any optimizer, schedule, loss option).
            compile = SpecJson.readCompile(train.get("rnn4j_compile"), folder + "/train.json");
            oneStep = train.get("steps").asInt() == 1;
        } else {
            JsonNode opt = train.get("optimizer");
            OptimizerSpec optimizer = switch (opt.get("class_name").asText()) {
                case "SGD" ->
                    new OptimizerSpec.Sgd(
                            opt.get("learning_rate").asDouble(),
                            opt.get("momentum").asDouble(),
                            false);
                case "Adam" ->
                    new OptimizerSpec.Adam(
                            opt.get("learning_rate").asDouble(),
                            opt.get("beta_1").asDouble(),
                            opt.get("beta_2").asDouble(),
                            opt.get("epsilon").asDouble());
                default -> throw new IllegalStateException("unexpected optimizer in " + name);
            };
            compile = new CompileSpec(Loss.fromJson(train.get("loss").asText()), optimizer, List.of());
            oneStep = !(optimizer instanceof OptimizerSpec.Adam);
        }
        ModelSpec spec = model.spec().withCompile(compile);
        Tensor x = OracleCases.tensor(folder + "/input.json");
        Tensor y = OracleCases.tensor(folder + "/target.json");
        Tensor sampleWeight = OracleCases.exists(folder + "/sample_weight.json")
                ? OracleCases.tensor(folder + "/sample_weight.json")
                : null;
        double[] losses = toDoubles(OracleCases.json(folder + "/losses.json").get("losses"));
        int steps = train.get("steps").asInt();
        WeightStore weights = store(spec, model.weights());
        Optimizer optim = new Optimizer(compile.optimizer());
        try (Program program = backend.compile(spec)) {
            for (int step = 0; step < steps; step++) {
                Program.StepResult r = program.trainStep(x, y, sampleWeight, weights, Map.of());
                double rel = Math.abs(r.loss() - losses[step]) / Math.abs(losses[step]);
                double tol = step == 0 ? 1e-5 : 5e-5;
                assertTrue(
                        rel <= tol, name + ": loss at step " + step + " = " + r.loss() + ", reference " + losses[step]);
                optim.apply(weights, r.gradients());
            }
            double finalLoss = program.evaluate(x, y, sampleWeight, weights).loss();
            double rel = Math.abs(finalLoss - losses[steps]) / Math.abs(losses[steps]);
            assertTrue(
                    rel <= (oneStep ? 1e-5 : 5e-5),
                    name + ": loss after training " + finalLoss + ", reference " + losses[steps]);
        }
        Map<String, Tensor> after = weightsAfter(folder, spec);
        // One SGD step within 1e-6, several optimizer steps within 1e-5.
        double tol = oneStep ? 1e-6 : 1e-5;
        for (var e : after.entrySet()) {
            double diff = weights.get(e.getKey()).maxAbsDiff(e.getValue());
            assertTrue(
                    diff <= tol,
                    name + ": weight " + e.getKey() + " differs from the reference by " + diff + " > " + tol);
        }
    }

    private static double[] toDoubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static Map<String, Tensor> weightsAfter(String folder, ModelSpec spec) {
        ByteBuffer buf = ByteBuffer.wrap(OracleCases.bytes(folder + "/weights_after.bin"))
                .order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (WeightSpec w : spec.weights()) {
            float[] v = new float[(int) w.size()];
            buf.asFloatBuffer().get(v);
            buf.position(buf.position() + v.length * 4);
            out.put(w.name(), Tensor.wrap(v, w.shapeArray()));
        }
        assertEquals(0, buf.remaining(), "weights_after.bin has bytes beyond the model's weights");
        return out;
    }

    /** Central finite differences of the inference loss against the backend's gradients, in float32. */
    @ParameterizedTest(name = "resetAfter={0}")
    @ValueSource(booleans = {true, false})
    void gruGradientsMatchFiniteDifferences(boolean resetAfter) {
        ModelSpec spec = Sequential.name("gru_check")
                .input(5, 3)
                .add(Layers.gru(4).resetAfter(resetAfter).returnSequences(true))
                .add(Layers.gru(3).resetAfter(resetAfter))
                .add(Layers.dense(2))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd(), new org.rnn4j.api.compile.Metric[0])
                .build();
        checkGradients(spec, 5, 3);
    }

    @Test
    void lstmAndSimpleRnnGradientsMatchFiniteDifferences() {
        ModelSpec spec = Sequential.name("lstm_check")
                .input(4, 2)
                .add(Layers.simpleRnn(3).returnSequences(true))
                .add(Layers.lstm(3).recurrentActivation(org.rnn4j.api.layers.Activation.HARD_SIGMOID))
                .add(Layers.dense(2))
                .compile(CompileSpec.defaults())
                .build();
        checkGradients(spec, 4, 2);
    }

    /**
     * The window layers' gradients (im2col convolution with padding, strides and dilation; both
     * poolings with same padding; LayerNormalization; Masking) against finite differences: TensorFlow.js
     * has no gradient for dilated convolutions, so this is their check.
     */
    @Test
    void convolutionPoolingAndNormalizationGradientsMatchFiniteDifferences() {
        ModelSpec causal = Sequential.name("conv_check")
                .input(9, 2)
                .add(Layers.conv1d(3, 3)
                        .withPadding(org.rnn4j.api.layers.Padding.CAUSAL)
                        .withDilationRate(2)
                        .activation(org.rnn4j.api.layers.Activation.TANH))
                .add(Layers.conv1d(4, 2).withStrides(2).withPadding(org.rnn4j.api.layers.Padding.SAME))
                .add(new org.rnn4j.api.layers.Pooling1DSpec(
                        null, org.rnn4j.api.layers.Pooling1DSpec.Pool.MAX, 3, 2, org.rnn4j.api.layers.Padding.SAME))
                .add(Layers.layerNormalization())
                .add(new org.rnn4j.api.layers.Pooling1DSpec(
                        null, org.rnn4j.api.layers.Pooling1DSpec.Pool.AVERAGE, 2, 1, org.rnn4j.api.layers.Padding.SAME))
                .add(Layers.flatten())
                .add(Layers.dense(2))
                .compile(CompileSpec.defaults())
                .build();
        checkGradients(causal, 9, 2);
        ModelSpec masked = Sequential.name("mask_check")
                .input(5, 3)
                .add(Layers.masking(0.25))
                .add(Layers.gru(3).returnSequences(true))
                .add(Layers.globalAveragePooling1d())
                .add(Layers.dense(2))
                .compile(CompileSpec.defaults())
                .build();
        checkGradients(masked, 5, 3);
    }

    /**
     * Keras 3: GlobalAveragePooling1D averages the unmasked steps; GlobalMaxPooling1D does not read
     * the mask (TensorFlow.js masks neither, so these numbers are worked out by hand).
     */
    @Test
    void globalAverageLeavesMaskedStepsOutAndGlobalMaxDoesNot() {
        // Sample 0: step 1 is all -1 (masked); sample 1: nothing masked.
        Tensor x = Tensor.wrap(new float[] {2, -4, -1, -1, 4, -2, 1, -3, 3, 5, -1, 7}, 2, 3, 2);
        for (var pool : org.rnn4j.api.layers.Pooling1DSpec.Pool.values()) {
            ModelSpec spec = Sequential.name("global_" + pool)
                    .input(3, 2)
                    .add(Layers.masking(-1))
                    .add(new org.rnn4j.api.layers.GlobalPooling1DSpec(null, pool, false))
                    .build();
            // Masking zeroes the masked step: sample 0 reads [2, -4], [0, 0], [4, -2].
            float[] expected = pool == org.rnn4j.api.layers.Pooling1DSpec.Pool.AVERAGE
                    ? new float[] {3, -3, 1, 3}
                    : new float[] {4, 0, 3, 7};
            try (Program program = backend.compile(spec)) {
                Tensor out = program.predict(x, WeightInitializer.initialized(spec.weights(), 1));
                assertArrayEquals(expected, out.floatView(), 1e-6f, pool.toString());
            }
        }
    }

    /**
     * Keras's sample weighting by hand: TimeDistributed(Dense(1)) with kernel 1 and bias 0 outputs x,
     * so the MSE per sample and step is x^2 and the weighted loss sum(w * x^2) / 6; the kernel's
     * gradient is sum(w * 2 x^2) / 6. A weight per sample ([2]) is repeated over the 3 steps.
     */
    @Test
    void sampleWeightsWeighTheLossAsKeras() {
        ModelSpec spec = Sequential.name("weighted")
                .input(3, 1)
                .add(Layers.timeDistributed(Layers.dense(1)))
                .build();
        assertTrue(backend.capabilities().contains(Capability.SAMPLE_WEIGHTS));
        float[] xs = {1, 2, -1, 0.5f, 3, -2};
        Tensor x = Tensor.wrap(xs, 2, 3, 1);
        Tensor y = Tensor.zeros(2, 3, 1);
        float[] ws = {1, 0, 2, 0.5f, 1, 3};
        double loss = 0;
        double grad = 0;
        for (int i = 0; i < 6; i++) {
            loss += ws[i] * xs[i] * xs[i] / 6;
            grad += ws[i] * 2 * xs[i] * xs[i] / 6;
        }
        WeightStore weights = store(
                spec,
                Map.of(
                        "time_distributed/kernel",
                        Tensor.of(new float[] {1}, 1, 1),
                        "time_distributed/bias",
                        Tensor.zeros(1)));
        try (Program program = backend.compile(spec)) {
            Tensor w = Tensor.wrap(ws, 2, 3);
            assertEquals(loss, program.evaluate(x, y, w, weights).loss(), 1e-6);
            Program.StepResult r = program.trainStep(x, y, w, weights, Map.of());
            assertEquals(loss, r.loss(), 1e-6);
            assertEquals(grad, r.gradients().get("time_distributed/kernel").floatView()[0], 1e-5);
            assertEquals(
                    program.evaluate(x, y, weights).loss(),
                    program.evaluate(x, y, Tensor.wrap(new float[] {1, 1, 1, 1, 1, 1}, 2, 3), weights)
                            .loss(),
                    1e-7,
                    "unit weights change nothing");
        }
        try (org.rnn4j.api.Model model = org.rnn4j.api.Model.withWeights(spec, backend, weights.snapshot())) {
            double perSample = 0;
            for (int i = 0; i < 6; i++) {
                perSample += (i < 3 ? 2 : 0.5) * xs[i] * xs[i] / 6;
            }
            assertEquals(
                    perSample,
                    model.evaluate(x, y, Tensor.wrap(new float[] {2, 0.5f}, 2), 2)
                            .get("loss"),
                    1e-6,
                    "a weight per sample covers its steps");
        }
    }

    /** Keras's class_weight is the sample weight of each target's class: both train to the same weights. */
    @Test
    void classWeightTrainsAsTheSampleWeightsItStandsFor() {
        ModelSpec spec = Sequential.name("classes")
                .input(2)
                .add(Layers.dense(3, Activation.SOFTMAX))
                .compile(new CompileSpec(
                        Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Sgd(0.5, 0, false), List.of()))
                .build();
        Tensor x = Tensor.wrap(new float[] {1, 0, 0, 1, 1, 1, -1, 0.5f}, 4, 2);
        Tensor y = Tensor.wrapInts(new int[] {0, 2, 1, 2}, 4);
        var fit = new org.rnn4j.api.compile.FitOptions(3, 2, 0, false, 1);
        Map<String, Tensor> byClass;
        Map<String, Tensor> bySample;
        Map<String, Tensor> plain;
        try (org.rnn4j.api.Model m = org.rnn4j.api.Model.create(spec, backend, 3)) {
            m.fit(x, y, fit.withClassWeight(Map.of(0, 3.0, 2, 0.5)));
            byClass = m.weights();
        }
        try (org.rnn4j.api.Model m = org.rnn4j.api.Model.create(spec, backend, 3)) {
            m.fit(x, y, Tensor.wrap(new float[] {3, 0.5f, 1, 0.5f}, 4), fit);
            bySample = m.weights();
        }
        try (org.rnn4j.api.Model m = org.rnn4j.api.Model.create(spec, backend, 3)) {
            m.fit(x, y, fit);
            plain = m.weights();
        }
        for (String k : plain.keySet()) {
            assertEquals(0, byClass.get(k).maxAbsDiff(bySample.get(k)), k);
        }
        assertTrue(plain.get("dense/kernel").maxAbsDiff(byClass.get("dense/kernel")) > 1e-3, "the weights matter");
        try (org.rnn4j.api.Model m = org.rnn4j.api.Model.create(spec, backend, 3)) {
            IllegalArgumentException both = assertThrows(
                    IllegalArgumentException.class,
                    () -> m.fit(x, y, Tensor.wrap(new float[] {1, 1, 1, 1}, 4), fit.withClassWeight(Map.of(0, 2.0))));
            assertTrue(both.getMessage().startsWith("class_weight and sample_weight cannot both be given"));
        }
    }

    private void checkGradients(ModelSpec spec, int steps, int features) {
        WeightStore weights = WeightInitializer.initialized(spec.weights(), 7);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        float[] xs = new float[3 * steps * features];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        Tensor x = Tensor.wrap(xs, 3, steps, features);
        Tensor y = Tensor.wrap(new float[] {0.5f, -0.25f, 0.1f, 0.3f, -0.7f, 0.2f}, 3, 2);
        try (Program program = backend.compile(spec)) {
            Program.StepResult r = program.trainStep(x, y, weights, Map.of());
            for (WeightSpec w : spec.weights()) {
                float[] values = weights.array(w.name());
                float[] grad = r.gradients().get(w.name()).floatView();
                for (int i = 0; i < values.length; i += Math.max(1, values.length / 7)) {
                    float keep = values[i];
                    float h = 1e-2f;
                    values[i] = keep + h;
                    weights.touch();
                    double up = program.evaluate(x, y, weights).loss();
                    values[i] = keep - h;
                    weights.touch();
                    double down = program.evaluate(x, y, weights).loss();
                    values[i] = keep;
                    weights.touch();
                    double numeric = (up - down) / (2 * h);
                    double err = Math.abs(numeric - grad[i]);
                    assertTrue(
                            err <= 2e-3 + 2e-2 * Math.abs(numeric),
                            spec.name() + " " + w.name() + "[" + i + "]: backend gradient " + grad[i]
                                    + ", finite difference " + numeric);
                }
            }
        }
    }

    @Test
    void dropoutMasksComeFromTheApiAndInferenceIgnoresThem() {
        ModelSpec spec = Sequential.name("dropout_check")
                .input(3, 2)
                .add(Layers.lstm(4).dropout(0.5).recurrentDropout(0.5))
                .add(Layers.dropout(0.5))
                .add(Layers.dense(1))
                .build();
        WeightStore weights = WeightInitializer.initialized(spec.weights(), 11);
        Tensor x = Tensor.wrap(
                new float[] {0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.6f, 0.7f, 0.1f, -0.2f, 0.3f, 0.9f, -0.1f}, 2, 3, 2);
        Tensor y = Tensor.wrap(new float[] {0.3f, -0.2f}, 2, 1);
        var noiseSpecs = org.rnn4j.api.graph.ModelGraph.noiseSpecs(spec, 3);
        assertEquals(3, noiseSpecs.size(), "input, recurrent and layer dropout masks");
        Map<String, Tensor> ones = new LinkedHashMap<>();
        Map<String, Tensor> zeros = new LinkedHashMap<>();
        for (var n : noiseSpecs) {
            int[] shape = n.shapeWithBatch(2);
            float[] one = new float[(int) Tensor.size(shape)];
            java.util.Arrays.fill(one, 1f);
            ones.put(n.name(), Tensor.wrap(one, shape));
            zeros.put(n.name(), Tensor.zeros(shape));
        }
        try (Program program = backend.compile(spec)) {
            double inference = program.evaluate(x, y, weights).loss();
            double allKept = program.trainStep(x, y, weights, ones).loss();
            assertEquals(inference, allKept, 1e-6, "masks of ones make training equal inference");
            Program.StepResult dropped = program.trainStep(x, y, weights, zeros);
            // Everything dropped: the output is the Dense bias alone, so the loss is the mean of y^2 with a zero bias.
            assertEquals((0.3 * 0.3 + 0.2 * 0.2) / 2, dropped.loss(), 1e-6);
        }
    }

    @Test
    void batchNormalizationUsesBatchStatisticsInTraining() {
        ModelSpec spec = Sequential.name("bn_check")
                .input(3)
                .add(Layers.batchNormalization())
                .build();
        WeightStore weights = WeightInitializer.initialized(spec.weights(), 1);
        Tensor x = Tensor.wrap(new float[] {1, 2, 3, 3, 6, 9}, 2, 3);
        Tensor y = Tensor.zeros(2, 3);
        try (Program program = backend.compile(spec)) {
            Program.StepResult r = program.trainStep(x, y, weights, Map.of());
            assertArrayEquals(
                    new float[] {2, 4, 6},
                    r.batchStats().get("batch_normalization/moving_mean").floatView(),
                    1e-6f);
            assertArrayEquals(
                    new float[] {1, 4, 9},
                    r.batchStats().get("batch_normalization/moving_variance").floatView(),
                    1e-5f);
            // Normalised with the batch statistics: each column becomes (-1, 1) * sqrt(v / (v + 0.001)).
            float[] out = r.output().floatView();
            assertEquals(-Math.sqrt(1 / 1.001), out[0], 1e-5);
            assertEquals(Math.sqrt(9 / 9.001), out[5], 1e-5);
            // Inference uses the moving statistics (0 and 1 initially): x / sqrt(1.001).
            Tensor inf = program.predict(x, weights);
            assertEquals(9 / Math.sqrt(1.001), inf.floatView()[5], 1e-5);
        }
    }

    @Test
    void repeatedRunsAreBitIdenticalWhenDeterministic() {
        ModelSpec spec = Sequential.name("det_check")
                .input(6, 2)
                .add(Layers.lstm(8).returnSequences(true))
                .add(Layers.gru(4))
                .add(Layers.dense(1))
                .build();
        WeightStore weights = WeightInitializer.initialized(spec.weights(), 5);
        float[] xs = new float[4 * 6 * 2];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(i);
        }
        Tensor x = Tensor.wrap(xs, 4, 6, 2);
        Tensor y = Tensor.wrap(new float[] {1, 2, 3, 4}, 4, 1);
        try (Program program = backend.compile(spec)) {
            Tensor a = program.predict(x, weights);
            Tensor b = program.predict(x, weights);
            Program.StepResult s1 = program.trainStep(x, y, weights, Map.of());
            Program.StepResult s2 = program.trainStep(x, y, weights, Map.of());
            if (backend.capabilities().contains(Capability.DETERMINISTIC)) {
                assertEquals(a, b);
                assertEquals(s1.loss(), s2.loss());
                for (String k : s1.gradients().keySet()) {
                    assertEquals(s1.gradients().get(k), s2.gradients().get(k), k);
                }
            } else {
                assertTrue(a.maxAbsDiff(b) < 1e-6);
            }
        }
    }

    @Test
    void aClosedProgramRefusesWork() {
        ModelSpec spec = Sequential.name("close_check")
                .input(2, 1)
                .add(Layers.simpleRnn(2))
                .add(Layers.dense(1))
                .build();
        WeightStore weights = WeightInitializer.initialized(spec.weights(), 1);
        Program program = backend.compile(spec);
        Tensor x = Tensor.wrap(new float[] {1, 2}, 1, 2, 1);
        program.predict(x, weights);
        program.close();
        assertThrows(IllegalStateException.class, () -> program.predict(x, weights));
    }

    /** A refusal: the call, and the exact message every engine gives (from {@link org.rnn4j.api.backend.ProgramContract}). */
    private record Refusal(String name, ModelSpec spec, String message, java.util.function.Consumer<Program> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final ModelSpec PRICES = Sequential.name("prices")
            .input(-1, 2)
            .add(Layers.lstm(3).dropout(0.5))
            .add(Layers.dense(1))
            .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
            .build();
    private static final ModelSpec CHARS = Sequential.name("chars")
            .tokenInput(3)
            .add(Layers.embedding(5, 2))
            .add(Layers.gru(2))
            .add(Layers.dense(4, Activation.SOFTMAX))
            .compile(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Sgd())
            .build();

    static Stream<Refusal> refusals() {
        WeightStore w = WeightInitializer.initialized(PRICES.weights(), 1);
        WeightStore foreign = WeightInitializer.initialized(CHARS.weights(), 1);
        Tensor x = Tensor.zeros(2, 4, 2);
        Tensor y = Tensor.zeros(2, 1);
        Map<String, Tensor> mask = Map.of("lstm/dropout", Tensor.zeros(2, 2));
        WeightStore cw = WeightInitializer.initialized(CHARS.weights(), 1);
        Tensor ids = Tensor.ofInts(new int[] {0, 1, 2, 3, 4, 0}, 2, 3);
        return Stream.of(
                new Refusal("null input", PRICES, "input must not be null", p -> p.predict(null, w)),
                new Refusal(
                        "wrong rank",
                        PRICES,
                        "input has shape [2, 4] but the model takes [batch, any, 2];"
                                + " reshape it (e.g. windows of prices are [n, window, 1])",
                        p -> p.predict(Tensor.zeros(2, 4), w)),
                new Refusal(
                        "wrong features",
                        PRICES,
                        "input has shape [2, 4, 3] but the model takes [batch, any, 2]",
                        p -> p.predict(Tensor.zeros(2, 4, 3), w)),
                new Refusal(
                        "empty batch",
                        PRICES,
                        "input has no samples (batch size 0)",
                        p -> p.evaluate(Tensor.zeros(0, 4, 2), Tensor.zeros(0, 1), w)),
                new Refusal(
                        "no time steps",
                        PRICES,
                        "input has shape [2, 0, 2], an empty dimension; every dimension must be at least 1",
                        p -> p.predict(Tensor.zeros(2, 0, 2), w)),
                new Refusal(
                        "int input to a float model",
                        PRICES,
                        "input is int32 but the model takes float32 values",
                        p -> p.predict(Tensor.ofInts(new int[16], 2, 4, 2), w)),
                new Refusal(
                        "target shape",
                        PRICES,
                        "target is float32 [2, 2] but model 'prices' with loss mean_squared_error needs float32 [2, 1]"
                                + " (the output's shape)",
                        p -> p.evaluate(x, Tensor.zeros(2, 2), w)),
                new Refusal(
                        "target batch",
                        PRICES,
                        "target is float32 [3, 1] but model 'prices' with loss mean_squared_error needs float32 [2, 1]"
                                + " (the output's shape)",
                        p -> p.trainStep(x, Tensor.zeros(3, 1), w, mask)),
                new Refusal("null target", PRICES, "target must not be null", p -> p.trainStep(x, null, w, mask)),
                new Refusal(
                        "sample weight shape",
                        PRICES,
                        "sample weight is float32 [2, 4] but model 'prices' needs float32 [2]"
                                + " (one weight per value of the loss)",
                        p -> p.evaluate(x, y, Tensor.zeros(2, 4), w)),
                new Refusal(
                        "null noise",
                        PRICES,
                        "noise must not be null; pass Map.of() for a model without dropout",
                        p -> p.trainStep(x, y, w, null)),
                new Refusal(
                        "missing mask",
                        PRICES,
                        "noise has masks [] but the training graph of model 'prices' reads exactly [lstm/dropout];"
                                + " draw them from ModelGraph.noiseSpecs",
                        p -> p.trainStep(x, y, w, Map.of())),
                new Refusal(
                        "unknown mask",
                        PRICES,
                        "noise has masks [x/dropout] but the training graph of model 'prices' reads exactly"
                                + " [lstm/dropout]; draw them from ModelGraph.noiseSpecs",
                        p -> p.trainStep(x, y, w, Map.of("x/dropout", Tensor.zeros(2, 2)))),
                new Refusal(
                        "mask shape",
                        PRICES,
                        "noise 'lstm/dropout' is float32 [2, 3] but needs float32 [2, 2]",
                        p -> p.trainStep(x, y, w, Map.of("lstm/dropout", Tensor.zeros(2, 3)))),
                new Refusal("null weights", PRICES, "weights must not be null", p -> p.predict(x, null)),
                new Refusal(
                        "foreign weights",
                        PRICES,
                        "the weight store has no weight 'lstm/kernel' of model 'prices'; it holds [embedding/embeddings,"
                                + " gru/kernel, gru/recurrent_kernel, gru/bias, dense/kernel, dense/bias];"
                                + " build it from the model's weights",
                        p -> p.predict(x, foreign)),
                new Refusal(
                        "segment with a bad mask",
                        PRICES,
                        "noise 'lstm/dropout' is float32 [2, 3] but needs float32 [2, 2]",
                        p -> p.trainSegment(
                                x, y, RecurrentState.zeros(), w, Map.of("lstm/dropout", Tensor.zeros(2, 3)), 2)),
                new Refusal(
                        "segment backward steps",
                        PRICES,
                        "backward steps must be >= 1, got 0",
                        p -> p.trainSegment(x, y, RecurrentState.zeros(), w, mask, 0)),
                new Refusal(
                        "advance with the wrong features",
                        PRICES,
                        "input has shape [2, 4, 3] but the model takes [batch, any, 2]",
                        p -> p.advance(Tensor.zeros(2, 4, 3), RecurrentState.zeros(), w)),
                // A token model: ids inside the embedding's vocabulary, class ids inside the output's classes.
                new Refusal(
                        "token id outside the vocabulary",
                        CHARS,
                        "input holds token id 9 at position 1, outside the vocabulary [0, 5);"
                                + " encode the text with the model's vocabulary",
                        p -> p.predict(Tensor.ofInts(new int[] {1, 9, 2}, 1, 3), cw)),
                new Refusal(
                        "negative token id",
                        CHARS,
                        "input holds token id -1 at position 5, outside the vocabulary [0, 5);"
                                + " encode the text with the model's vocabulary",
                        p -> p.predict(Tensor.ofInts(new int[] {1, 2, 3, 4, 0, -1}, 2, 3), cw)),
                new Refusal(
                        "float targets for a sparse loss",
                        CHARS,
                        "target is float32 [2] but model 'chars' with loss sparse_categorical_crossentropy needs"
                                + " int32 [2] (class ids)",
                        p -> p.evaluate(ids, Tensor.zeros(2), cw)),
                new Refusal(
                        "class id outside the output",
                        CHARS,
                        "target class id 4 at position 1 is outside [0, 4), the model's output classes;"
                                + " encode the targets with the model's vocabulary",
                        p -> p.trainStep(ids, Tensor.ofInts(new int[] {0, 4}, 2), cw, Map.of())));
    }

    /** Both engines refuse the same calls with the same one-line message, before their graphs run. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void badCallsAreRefusedAlike(Refusal r) {
        ModelSpec spec = r.spec();
        try (Program program = backend.compile(spec)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> r.call().accept(program), r.name());
            assertEquals(r.message(), e.getMessage());
            // The refusal left the program usable: a good call on the same program still runs.
            WeightStore w = WeightInitializer.initialized(spec.weights(), 1);
            Tensor good = spec.equals(CHARS) ? Tensor.ofInts(new int[] {0, 1, 2}, 1, 3) : Tensor.zeros(1, 4, 2);
            assertEquals(1, program.predict(good, w).dim(0));
        }
    }
}
