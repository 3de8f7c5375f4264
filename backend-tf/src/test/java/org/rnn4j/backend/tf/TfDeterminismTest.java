package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Capability;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.Program.StepResult;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * Bit-identical results run after run, program after program and thread after thread, on a model
 * big enough that TensorFlow's kernels and inter-op scheduling have room to vary.
 */
class TfDeterminismTest {
    private static final ModelSpec SPEC = Sequential.builder()
            .input(-1, 8)
            .add(Layers.lstm(32).returnSequences(true))
            .add(Layers.gru(16))
            .add(Layers.dense(4, Activation.SOFTMAX))
            .compile(Loss.CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Adam())
            .build();
    private static final Tensor X = Fixtures.floats(1, 1.0, 16, 20, 8);
    private static final Tensor Y;

    static {
        float[] y = new float[16 * 4];
        for (int b = 0; b < 16; b++) {
            y[b * 4 + b % 4] = 1;
        }
        Y = Tensor.of(y, 16, 4);
    }

    private static TfBackend backend;
    private static WeightStore weights;

    @BeforeAll
    static void open() {
        backend = new TfBackend(TfSessionOptions.defaults());
        weights = Fixtures.weights(SPEC, 2, 0.3);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void defaultsDeclareDeterminism() {
        assertTrue(backend.capabilities().contains(Capability.DETERMINISTIC));
        assertTrue(backend.capabilities().contains(Capability.CONCURRENT_PREDICT));
    }

    @Test
    void sameInputsGiveBitIdenticalOutputsAndGradients() {
        Tensor first;
        StepResult firstStep;
        try (Program p = backend.compile(SPEC)) {
            first = p.predict(X, weights);
            firstStep = p.trainStep(X, Y, weights, Map.of());
            for (int k = 0; k < 3; k++) {
                assertEquals(first, p.predict(X, weights), "predict run " + k);
                StepResult again = p.trainStep(X, Y, weights, Map.of());
                assertEquals(Double.doubleToLongBits(firstStep.loss()), Double.doubleToLongBits(again.loss()));
                assertEquals(firstStep.gradients(), again.gradients(), "gradients run " + k);
            }
        }
        try (Program fresh = backend.compile(SPEC)) {
            assertEquals(first, fresh.predict(X, weights), "a new graph and session give the same bits");
            assertEquals(
                    firstStep.gradients(),
                    fresh.trainStep(X, Y, weights, Map.of()).gradients());
        }
    }

    @Test
    void concurrentPredictsOfSeveralLengthsMatchSequentialOnes() throws Exception {
        Tensor shorter = Fixtures.floats(3, 1.0, 16, 7, 8);
        try (Program p = backend.compile(SPEC)) {
            Tensor[] expected = {p.predict(X, weights), p.predict(shorter, weights)};
            try (Program shared = backend.compile(SPEC)) {
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    List<Future<Tensor>> results = new ArrayList<>();
                    for (int k = 0; k < 24; k++) {
                        Tensor in = k % 2 == 0 ? X : shorter;
                        results.add(pool.submit(() -> shared.predict(in, weights)));
                    }
                    for (int k = 0; k < results.size(); k++) {
                        assertEquals(expected[k % 2], results.get(k).get(), "call " + k);
                    }
                } finally {
                    pool.shutdown();
                }
                assertEquals(
                        2,
                        ((TfProgram) TfBackendTest.unsplit(shared)).graphCount(),
                        "concurrent first calls build each graph once");
            }
        }
    }
}
