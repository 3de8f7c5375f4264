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
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.io.LoadedModel;
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
        JsonNode opt = train.get("optimizer");
        OptimizerSpec optimizer = switch (opt.get("class_name").asText()) {
            case "SGD" ->
                new OptimizerSpec.Sgd(
                        opt.get("learning_rate").asDouble(), opt.get("momentum").asDouble(), false);
            case "Adam" ->
                new OptimizerSpec.Adam(
                        opt.get("learning_rate").asDouble(),
                        opt.get("beta_1").asDouble(),
                        opt.get("beta_2").asDouble(),
                        opt.get("epsilon").asDouble());
            default -> throw new IllegalStateException("unexpected optimizer in " + name);
        };
        boolean adam = optimizer instanceof OptimizerSpec.Adam;
        ModelSpec spec = model.spec()
                .withCompile(new CompileSpec(Loss.fromJson(train.get("loss").asText()), optimizer, List.of()));
        Tensor x = OracleCases.tensor(folder + "/input.json");
        Tensor y = OracleCases.tensor(folder + "/target.json");
        double[] losses = toDoubles(OracleCases.json(folder + "/losses.json").get("losses"));
        int steps = train.get("steps").asInt();
        WeightStore weights = store(spec, model.weights());
        Optimizer optim = new Optimizer(optimizer);
        try (Program program = backend.compile(spec)) {
            for (int step = 0; step < steps; step++) {
                Program.StepResult r = program.trainStep(x, y, weights, Map.of());
                double rel = Math.abs(r.loss() - losses[step]) / Math.abs(losses[step]);
                double tol = step == 0 ? 1e-5 : 5e-5;
                assertTrue(
                        rel <= tol, name + ": loss at step " + step + " = " + r.loss() + ", reference " + losses[step]);
                optim.apply(weights, r.gradients());
            }
            double finalLoss = program.evaluate(x, y, weights).loss();
            double rel = Math.abs(finalLoss - losses[steps]) / Math.abs(losses[steps]);
            assertTrue(
                    rel <= (adam ? 5e-5 : 1e-5),
                    name + ": loss after training " + finalLoss + ", reference " + losses[steps]);
        }
        Map<String, Tensor> after = weightsAfter(folder, spec);
        double tol = adam ? 1e-5 : 1e-6;
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
}
