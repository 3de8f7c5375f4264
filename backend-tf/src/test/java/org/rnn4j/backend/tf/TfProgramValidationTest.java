package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.BackendException;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/** Bad arguments fail fast with an IllegalArgumentException that names the problem, before TensorFlow sees them. */
class TfProgramValidationTest {
    private static final ModelSpec SPEC = Sequential.name("prices")
            .input(-1, 2)
            .add(Layers.lstm(3).dropout(0.5))
            .add(Layers.dense(1))
            .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
            .build();
    private static TfBackend backend;
    private static Program program;
    private static WeightStore weights;

    @BeforeAll
    static void open() {
        backend = new TfBackend(TfSessionOptions.defaults());
        program = backend.compile(SPEC);
        weights = Fixtures.weights(SPEC, 1, 0.5);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static String message(Runnable call) {
        return assertThrows(IllegalArgumentException.class, call::run).getMessage();
    }

    @Test
    void inputShapeAndDtype() {
        assertEquals(
                "input is float32 [2, 4, 3] but model 'prices' takes float32 [batch, time, 2] with every dimension >= 1",
                message(() -> program.predict(Tensor.zeros(2, 4, 3), weights)));
        assertEquals(
                "input is int32 [2, 4] but model 'prices' takes float32 [batch, time, 2] with every dimension >= 1",
                message(() -> program.predict(Tensor.ofInts(new int[8], 2, 4), weights)));
        assertEquals(
                "input is float32 [0, 4, 2] but model 'prices' takes float32 [batch, time, 2] with every dimension >= 1",
                message(() -> program.predict(Tensor.zeros(0, 4, 2), weights)));
        assertEquals("input must not be null", message(() -> program.predict(null, weights)));
    }

    @Test
    void targetMustHaveTheOutputShape() {
        assertEquals(
                "target is float32 [2, 2] but model 'prices' with loss mean_squared_error needs float32 [2, 1] (the output's shape)",
                message(() -> program.evaluate(Tensor.zeros(2, 4, 2), Tensor.zeros(2, 2), weights)));
        assertEquals(
                "target is float32 [3, 1] but model 'prices' with loss mean_squared_error needs float32 [2, 1] (the output's shape)",
                message(() -> program.evaluate(Tensor.zeros(2, 4, 2), Tensor.zeros(3, 1), weights)));
    }

    @Test
    void sparseTargetsAreIntClassIds() {
        ModelSpec spec = Sequential.name("chars")
                .tokenInput(5)
                .add(Layers.embedding(7, 3))
                .add(Layers.gru(4))
                .add(Layers.dense(7, Activation.SOFTMAX))
                .compile(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Sgd())
                .build();
        try (Program p = backend.compile(spec)) {
            assertEquals(
                    "target is float32 [2] but model 'chars' with loss sparse_categorical_crossentropy needs int32 [2] (class ids)",
                    message(() -> p.evaluate(
                            Tensor.ofInts(new int[10], 2, 5), Tensor.zeros(2), Fixtures.weights(spec, 1, 0.5))));
        }
    }

    @Test
    void nativeFailuresAreWrappedOnceWithTheBackendId() {
        ModelSpec spec = Sequential.name("chars")
                .tokenInput(3)
                .add(Layers.embedding(5, 2))
                .add(Layers.simpleRnn(2))
                .build();
        try (Program p = backend.compile(spec)) {
            BackendException e = assertThrows(
                    BackendException.class,
                    () -> p.predict(Tensor.ofInts(new int[] {1, 9, 2}, 1, 3), Fixtures.weights(spec, 1, 0.5)));
            assertEquals("tf", e.backendId());
            assertTrue(
                    e.getMessage()
                            .startsWith("[tf] running the inference graph for 3 time steps of model 'chars' failed: "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("indices[0,1] = 9 is not in [0, 5)"), e.getMessage());
            assertTrue(e.getCause() instanceof IllegalArgumentException, "the TensorFlow exception is the cause");
        }
    }

    @Test
    void noiseMustBeExactlyTheMasksTheGraphReads() {
        Tensor x = Tensor.zeros(2, 4, 2);
        Tensor y = Tensor.zeros(2, 1);
        assertEquals(
                "noise has masks [] but the training graph of model 'prices' reads exactly [lstm/dropout];"
                        + " draw them from ModelGraph.noiseSpecs",
                message(() -> program.trainStep(x, y, weights, Map.of())));
        assertEquals(
                "noise 'lstm/dropout' is float32 [2, 3] but needs float32 [2, 2]",
                message(() -> program.trainStep(x, y, weights, Map.of("lstm/dropout", Tensor.zeros(2, 3)))));
        assertEquals(
                "noise must not be null; pass Map.of() for a model without dropout",
                message(() -> program.trainStep(x, y, weights, null)));
    }

    @Test
    void weightsMustBelongToTheModel() {
        ModelSpec other = Sequential.name("other")
                .input(-1, 2)
                .add(Layers.gru(3))
                .add(Layers.dense(1))
                .build();
        WeightStore foreign = Fixtures.weights(other, 1, 0.5);
        assertEquals(
                "the model has no weight 'lstm/kernel'; it has [gru/kernel, gru/recurrent_kernel, gru/bias, dense/kernel, dense/bias]",
                message(() -> program.predict(Tensor.zeros(2, 4, 2), foreign)));
    }
}
