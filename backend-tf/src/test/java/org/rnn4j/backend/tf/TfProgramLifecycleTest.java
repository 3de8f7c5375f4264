package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * Native resources: every TensorFlow graph, session and tensor is registered with JavaCPP's
 * deallocator bookkeeping, so {@link Pointer#totalCount()} going back to where it was shows that
 * calls free their per-call tensors and {@code close()} frees the rest.
 */
class TfProgramLifecycleTest {
    private static final ModelSpec SPEC = Sequential.builder()
            .input(-1, 2)
            .add(Layers.gru(3))
            .add(Layers.dense(1))
            .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
            .build();

    private static void exercise(Program p, WeightStore w, int steps) {
        Tensor x = Fixtures.floats(steps, 1.0, 2, steps, 2);
        Tensor y = Fixtures.floats(steps + 100, 1.0, 2, 1);
        p.predict(x, w);
        p.evaluate(x, y, w);
        p.trainStep(x, y, w, Map.of());
    }

    @Test
    void callsFreeTheirTensorsAndCloseFreesGraphsSessionsAndWeights() throws InterruptedException {
        try (TfBackend backend = new TfBackend(TfSessionOptions.defaults())) {
            WeightStore w = Fixtures.weights(SPEC, 1, 0.5);
            try (Program warmUp = backend.compile(SPEC)) {
                exercise(warmUp, w, 3);
            }
            long before = settledCount();

            TfProgram p = (TfProgram) TfBackendTest.unsplit(backend.compile(SPEC));
            exercise(p, w, 3);
            exercise(p, w, 4);
            assertEquals(6, p.graphCount(), "inference, evaluation and training graphs for 3 and 4 steps");
            long open = Pointer.totalCount();
            assertTrue(open > before, "graphs, sessions and uploaded weights are native objects");
            for (int k = 0; k < 20; k++) {
                w.array("dense/bias")[0] += 0.01f;
                w.touch();
                exercise(p, w, 3 + k % 2);
            }
            assertEquals(open, Pointer.totalCount(), "repeated calls leave no native tensor behind");

            p.close();
            assertEquals(0, p.graphCount());
            assertEquals(before, Pointer.totalCount(), "close() frees every graph, session and weight tensor");
        }
    }

    /**
     * The count once JavaCPP has freed what earlier tests left to the garbage collector; from here
     * on every native object of a program is freed explicitly, so the count is exact.
     */
    private static long settledCount() throws InterruptedException {
        long count = Pointer.totalCount();
        for (int k = 0; k < 20; k++) {
            System.gc();
            Thread.sleep(20);
            long now = Pointer.totalCount();
            if (now == count) {
                return now;
            }
            count = now;
        }
        return count;
    }

    @Test
    void aClosedProgramThrowsIllegalStateAndClosingTwiceIsHarmless() {
        try (TfBackend backend = new TfBackend(TfSessionOptions.defaults())) {
            WeightStore w = Fixtures.weights(SPEC, 2, 0.5);
            Program p = backend.compile(SPEC);
            exercise(p, w, 3);
            p.close();
            p.close();
            Tensor x = Fixtures.floats(1, 1.0, 2, 3, 2);
            Tensor y = Fixtures.floats(2, 1.0, 2, 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.predict(x, w));
            assertEquals(
                    "the TensorFlow program of model 'sequential' is closed; compile the model again with a backend that is still open",
                    e.getMessage());
            assertThrows(IllegalStateException.class, () -> p.evaluate(x, y, w));
            assertThrows(IllegalStateException.class, () -> p.trainStep(x, y, w, Map.of()));
        }
    }

    @Test
    void closingTheBackendClosesItsProgramsAndRefusesNewOnes() {
        TfBackend backend = new TfBackend(TfSessionOptions.defaults());
        WeightStore w = Fixtures.weights(SPEC, 3, 0.5);
        Program p = backend.compile(SPEC);
        exercise(p, w, 3);
        backend.close();
        assertThrows(IllegalStateException.class, () -> p.predict(Fixtures.floats(1, 1.0, 2, 3, 2), w));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.compile(SPEC));
        assertEquals("the tf backend is closed; create a new one to compile model 'sequential'", e.getMessage());
    }
}
