package org.rnn4j.backend.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.GraphCache;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.graph.ModelGraph.Mode;
import org.rnn4j.api.graph.Piece;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.api.weights.WeightStore;

/**
 * DL4J specifics of long sequences: lengths share the same pieces, and the graph cache stays
 * bounded however many lengths come.
 */
class Dl4jLongSequenceTest {
    private static ModelSpec spec(org.rnn4j.api.layers.LayerSpec recurrent) {
        return Sequential.name("m")
                .input(-1, 2)
                .add(recurrent)
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                .build();
    }

    /**
     * Batches of 9 to 40 steps in chunks of 8 build only the pieces of 8, 4, 2 and 1 steps (and the
     * head) per mode, never a graph per length.
     */
    @Test
    void everyLengthRunsThroughTheSameFewPieces() {
        ModelSpec spec = spec(Layers.gru(4));
        WeightStore w = WeightInitializer.initialized(spec.weights(), 1);
        try (Dl4jBackend backend = new Dl4jBackend();
                Dl4jProgram p = new Dl4jProgram(spec, RecurrencePolicy.chunked(8), () -> {})) {
            for (int steps = 9; steps <= 40; steps++) {
                Tensor x = Tensor.zeros(2, steps, 2);
                p.predict(x, w);
                p.trainStep(x, Tensor.zeros(2, 1), w, Map.of());
            }
            Set<Object> expected = new HashSet<>();
            for (Mode m : List.of(Mode.INFERENCE, Mode.TRAINING)) {
                for (int k : new int[] {8, 4, 2, 1}) {
                    expected.add(Piece.stage(m, false, 0, k));
                }
            }
            expected.add(Piece.head(Mode.INFERENCE, false));
            expected.add(Piece.head(Mode.TRAINING, true));
            assertEquals(expected, new HashSet<>(p.graphKeys()));
            assertEquals(10, p.graphCount());
        }
    }

    @Test
    void wholeGraphsOfManyLengthsStayWithinTheCachesSteps() {
        ModelSpec spec = spec(Layers.simpleRnn(3));
        WeightStore w = WeightInitializer.initialized(spec.weights(), 1);
        try (Dl4jBackend backend = new Dl4jBackend();
                Dl4jProgram p = new Dl4jProgram(spec, RecurrencePolicy.whole(), () -> {})) {
            long total = 0;
            for (int steps = 40; steps <= 100; steps++) {
                p.predict(Tensor.zeros(1, steps, 2), w);
                total += steps;
            }
            assertTrue(total > GraphCache.DEFAULT_CAPACITY, "the lengths together exceed the cache");
            long kept = p.graphKeys().stream().mapToLong(Dl4jProgram::weight).sum();
            assertTrue(kept <= GraphCache.DEFAULT_CAPACITY, "kept " + kept + " steps of graphs");
            assertEquals(p.graphCount(), p.graphKeys().size());
            // The most recent lengths are the ones kept, and a kept one is reused, not rebuilt.
            int before = p.graphCount();
            p.predict(Tensor.zeros(1, 100, 2), w);
            assertEquals(before, p.graphCount());
            Program.StepResult r = p.trainStep(Tensor.zeros(1, 100, 2), Tensor.zeros(1, 1), w, Map.of());
            assertTrue(Double.isFinite(r.loss()));
        }
    }
}
