package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.backend.tf.Fixtures.flat;
import static org.rnn4j.backend.tf.Fixtures.matrix;
import static org.rnn4j.backend.tf.Fixtures.maxAbsDiff;
import static org.rnn4j.backend.tf.Fixtures.rows;
import static org.rnn4j.backend.tf.Fixtures.sequence;
import static org.rnn4j.backend.tf.Fixtures.vector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.Program.Evaluation;
import org.rnn4j.api.backend.Program.StepResult;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;
import org.rnn4j.backend.tf.Reference.Cell;

/**
 * Training-mode gradients against central finite differences of the training-mode loss (float32:
 * step 1e-2, tolerance 2e-4 + 2% of the difference quotient), and training-mode values (losses,
 * dropout, batch statistics) against {@link Reference}.
 */
class TfProgramGradientTest {
    private static final double STEP = 1e-2;
    private static TfBackend backend;

    @BeforeAll
    static void open() {
        backend = new TfBackend(TfSessionOptions.defaults());
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Sequential sgd(Sequential s, Loss loss) {
        return s.compile(loss, new OptimizerSpec.Sgd());
    }

    /** Checks every trainable weight's gradient element by element; returns the step at the original weights. */
    private static StepResult assertGradientsMatchFiniteDifferences(
            Program p, ModelSpec spec, WeightStore w, Tensor x, Tensor y, Map<String, Tensor> noise) {
        StepResult step = p.trainStep(x, y, w, noise);
        List<String> trainable = spec.weights().stream()
                .filter(WeightSpec::trainable)
                .map(WeightSpec::name)
                .toList();
        assertEquals(
                trainable, List.copyOf(step.gradients().keySet()), "one gradient per trainable weight, in Keras order");
        double diffSq = 0;
        double normSq = 0;
        for (String name : trainable) {
            float[] a = w.array(name);
            Tensor g = step.gradients().get(name);
            assertArrayEquals(w.spec(name).shapeArray(), g.shape(), name + " gradient shape");
            for (int k = 0; k < a.length; k++) {
                float original = a[k];
                float plus = (float) (original + STEP);
                float minus = (float) (original - STEP);
                a[k] = plus;
                w.touch();
                double lossPlus = p.trainStep(x, y, w, noise).loss();
                a[k] = minus;
                w.touch();
                double lossMinus = p.trainStep(x, y, w, noise).loss();
                a[k] = original;
                w.touch();
                double fd = (lossPlus - lossMinus) / ((double) plus - minus);
                double analytic = g.getDouble(k);
                assertTrue(
                        Math.abs(analytic - fd) <= 2e-4 + 2e-2 * Math.abs(fd),
                        name + "[" + k + "]: gradient " + analytic + " but finite difference " + fd);
                diffSq += (analytic - fd) * (analytic - fd);
                normSq += fd * fd;
            }
        }
        assertTrue(normSq > 1e-8, "the check needs non-trivial gradients");
        assertTrue(Math.sqrt(diffSq / normSq) < 1e-2, "relative gradient error " + Math.sqrt(diffSq / normSq));
        return step;
    }

    @Test
    void lstmWithMseMatchesFiniteDifferencesAndEvaluate() {
        ModelSpec spec = sgd(
                        Sequential.builder().input(3, 2).add(Layers.lstm(2)).add(Layers.dense(1)),
                        Loss.MEAN_SQUARED_ERROR)
                .build();
        WeightStore w = Fixtures.weights(spec, 21, 0.8);
        Tensor x = Fixtures.floats(22, 1.0, 2, 3, 2);
        Tensor y = Fixtures.floats(23, 1.0, 2, 1);
        try (Program p = backend.compile(spec)) {
            StepResult step = assertGradientsMatchFiniteDifferences(p, spec, w, x, y, Map.of());

            double[][] h = Reference.last(Reference.recurrent(
                    Cell.LSTM,
                    sequence(x),
                    matrix(w, "lstm/kernel"),
                    matrix(w, "lstm/recurrent_kernel"),
                    matrix(w, "lstm/bias"),
                    false,
                    null,
                    null,
                    null,
                    Reference.TANH,
                    Reference.SIGMOID));
            double[] out =
                    flat(Reference.dense(h, matrix(w, "dense/kernel"), vector(w, "dense/bias"), Reference.LINEAR));
            double mse = 0;
            for (int k = 0; k < out.length; k++) {
                mse += Math.pow(out[k] - y.getDouble(k), 2) / out.length;
            }
            Evaluation eval = p.evaluate(x, y, w);
            assertEquals(mse, step.loss(), 1e-6 * Math.max(1, mse));
            assertEquals(mse, eval.loss(), 1e-6 * Math.max(1, mse));
            assertTrue(maxAbsDiff(eval.output(), out) <= 1e-5);
            assertEquals(eval.output(), p.predict(x, w), "evaluate and predict give the same output");
            assertTrue(step.batchStats().isEmpty());
        }
    }

    @Test
    void gruResetAfterSequencesWithHuber() {
        ModelSpec spec = sgd(
                        Sequential.builder()
                                .input(3, 2)
                                .add(Layers.gru(2).returnSequences(true))
                                .add(Layers.timeDistributed(Layers.dense(2))),
                        Loss.HUBER)
                .build();
        WeightStore w = Fixtures.weights(spec, 24, 0.9);
        Tensor x = Fixtures.floats(25, 1.5, 2, 3, 2);
        Tensor y = Fixtures.floats(26, 2.0, 2, 3, 2);
        try (Program p = backend.compile(spec)) {
            assertGradientsMatchFiniteDifferences(p, spec, w, x, y, Map.of());
        }
    }

    @Test
    void gruResetBeforeWithBinaryCrossentropy() {
        ModelSpec spec = sgd(
                        Sequential.builder()
                                .input(3, 2)
                                .add(Layers.gru(2).resetAfter(false))
                                .add(Layers.dense(1, Activation.SIGMOID)),
                        Loss.BINARY_CROSSENTROPY)
                .build();
        WeightStore w = Fixtures.weights(spec, 27, 0.9);
        Tensor x = Fixtures.floats(28, 1.0, 3, 3, 2);
        Tensor y = Tensor.of(new float[] {1, 0, 1}, 3, 1);
        try (Program p = backend.compile(spec)) {
            assertGradientsMatchFiniteDifferences(p, spec, w, x, y, Map.of());
        }
    }

    @Test
    void maskedEmbeddingWithSparseCategoricalCrossentropy() {
        ModelSpec spec = sgd(
                        Sequential.builder()
                                .tokenInput(4)
                                .add(Layers.embedding(6, 3).maskZero(true))
                                .add(Layers.simpleRnn(2))
                                .add(Layers.dense(4, Activation.SOFTMAX)),
                        Loss.SPARSE_CATEGORICAL_CROSSENTROPY)
                .build();
        WeightStore w = Fixtures.weights(spec, 29, 0.9);
        Tensor x = Tensor.ofInts(new int[] {1, 2, 0, 0, 0, 3, 1, 1}, 2, 4);
        Tensor y = Tensor.ofInts(new int[] {3, 0}, 2);
        try (Program p = backend.compile(spec)) {
            StepResult step = assertGradientsMatchFiniteDifferences(p, spec, w, x, y, Map.of());
            float[] g = step.gradients().get("embedding/embeddings").floatView();
            for (int row : new int[] {0, 4, 5}) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(0f, g[row * 3 + j], 0f, "padding and absent tokens get no gradient (row " + row + ")");
                }
            }
        }
    }

    @Test
    void bidirectionalSumWithCategoricalCrossentropy() {
        ModelSpec spec = sgd(
                        Sequential.builder()
                                .input(3, 2)
                                .add(Layers.bidirectional(Layers.lstm(2), MergeMode.SUM))
                                .add(Layers.dense(3, Activation.SOFTMAX)),
                        Loss.CATEGORICAL_CROSSENTROPY)
                .build();
        WeightStore w = Fixtures.weights(spec, 30, 0.9);
        Tensor x = Fixtures.floats(31, 1.0, 2, 3, 2);
        Tensor y = Tensor.of(new float[] {0, 1, 0, 1, 0, 0}, 2, 3);
        try (Program p = backend.compile(spec)) {
            assertGradientsMatchFiniteDifferences(p, spec, w, x, y, Map.of());
        }
    }

    @Test
    void batchNormalizationAndDropoutInTraining() {
        ModelSpec spec = sgd(
                        Sequential.builder()
                                .input(3)
                                .add(Layers.dense(3, Activation.TANH))
                                .add(Layers.batchNormalization())
                                .add(Layers.dropout(0.5))
                                .add(Layers.dense(1)),
                        Loss.MEAN_SQUARED_ERROR)
                .build();
        WeightStore w = Fixtures.weights(spec, 32, 0.9);
        Tensor x = Fixtures.floats(33, 1.0, 4, 3);
        Tensor y = Fixtures.floats(34, 1.0, 4, 1);
        Map<String, Tensor> noise = masks(spec, 1, 4, 35);
        assertEquals(List.of("dropout/dropout"), List.copyOf(noise.keySet()));
        try (Program p = backend.compile(spec)) {
            StepResult step = assertGradientsMatchFiniteDifferences(p, spec, w, x, y, noise);

            double[][] h = Reference.dense(rows(x), matrix(w, "dense/kernel"), vector(w, "dense/bias"), Reference.TANH);
            double[] mean = new double[3];
            double[] variance = new double[3];
            for (double[] r : h) {
                for (int j = 0; j < 3; j++) {
                    mean[j] += r[j] / h.length;
                }
            }
            for (double[] r : h) {
                for (int j = 0; j < 3; j++) {
                    variance[j] += Math.pow(r[j] - mean[j], 2) / h.length;
                }
            }
            assertEquals(
                    List.of("batch_normalization/moving_mean", "batch_normalization/moving_variance"),
                    List.copyOf(step.batchStats().keySet()));
            assertTrue(maxAbsDiff(step.batchStats().get("batch_normalization/moving_mean"), mean) <= 1e-6);
            assertTrue(maxAbsDiff(step.batchStats().get("batch_normalization/moving_variance"), variance) <= 1e-6);

            double[][] n = Reference.batchNorm(
                    h,
                    mean,
                    variance,
                    vector(w, "batch_normalization/gamma"),
                    vector(w, "batch_normalization/beta"),
                    1e-3);
            double[][] dropped = new double[4][3];
            float[] mask = noise.get("dropout/dropout").floatView();
            for (int b = 0; b < 4; b++) {
                for (int j = 0; j < 3; j++) {
                    dropped[b][j] = n[b][j] * mask[b * 3 + j];
                }
            }
            double[] out = flat(
                    Reference.dense(dropped, matrix(w, "dense_1/kernel"), vector(w, "dense_1/bias"), Reference.LINEAR));
            assertTrue(
                    maxAbsDiff(step.output(), out) <= 1e-5,
                    () -> "training output max diff " + maxAbsDiff(step.output(), out));
            assertTrue(maxAbsDiff(p.predict(x, w), out) > 1e-3, "inference uses moving statistics and no dropout");
        }
    }

    @Test
    void recurrentDropoutMasksAreApplied() {
        ModelSpec spec = sgd(
                        Sequential.builder()
                                .input(3, 2)
                                .add(Layers.lstm(2).dropout(0.3).recurrentDropout(0.4))
                                .add(Layers.dense(1)),
                        Loss.MEAN_SQUARED_ERROR)
                .build();
        WeightStore w = Fixtures.weights(spec, 36, 0.9);
        Tensor x = Fixtures.floats(37, 1.0, 3, 3, 2);
        Tensor y = Fixtures.floats(38, 1.0, 3, 1);
        Map<String, Tensor> noise = masks(spec, 3, 3, 39);
        assertEquals(List.of("lstm/dropout", "lstm/recurrent_dropout"), List.copyOf(noise.keySet()));
        try (Program p = backend.compile(spec)) {
            StepResult step = assertGradientsMatchFiniteDifferences(p, spec, w, x, y, noise);

            double[][] h = Reference.last(Reference.recurrent(
                    Cell.LSTM,
                    sequence(x),
                    matrix(w, "lstm/kernel"),
                    matrix(w, "lstm/recurrent_kernel"),
                    matrix(w, "lstm/bias"),
                    false,
                    null,
                    rows(noise.get("lstm/dropout")),
                    rows(noise.get("lstm/recurrent_dropout")),
                    Reference.TANH,
                    Reference.SIGMOID));
            double[] out =
                    flat(Reference.dense(h, matrix(w, "dense/kernel"), vector(w, "dense/bias"), Reference.LINEAR));
            assertTrue(
                    maxAbsDiff(step.output(), out) <= 1e-5,
                    () -> "training output max diff " + maxAbsDiff(step.output(), out));
        }
    }

    /** Dropout masks as the api draws them: 0 or 1/(1-rate), at least one of each per mask. */
    static Map<String, Tensor> masks(ModelSpec spec, int timeSteps, int batch, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (NoiseSpec n : ModelGraph.noiseSpecs(spec, timeSteps)) {
            int[] shape = n.shapeWithBatch(batch);
            float[] m = new float[Math.toIntExact(Tensor.size(shape))];
            for (int k = 0; k < m.length; k++) {
                m[k] = (k == 0 || rnd.nextDouble() >= n.rate()) && k != 1 ? (float) (1 / (1 - n.rate())) : 0f;
            }
            out.put(n.name(), Tensor.of(m, shape));
        }
        return out;
    }
}
