package org.rnn4j.backend.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.GraphCache;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.sequence.RecurrencePolicy;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.api.weights.WeightStore;

/** DL4J specifics of long sequences: the graph cache stays bounded however many lengths come. */
class Dl4jLongSequenceTest {
    @Test
    void wholeGraphsOfManyLengthsStayWithinTheCachesSteps() {
        ModelSpec spec = Sequential.name("m")
                .input(-1, 2)
                .add(Layers.simpleRnn(3))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                .build();
        WeightStore w = WeightInitializer.initialized(spec.weights(), 1);
        try (Dl4jBackend backend = new Dl4jBackend();
                Dl4jProgram p = (Dl4jProgram) backend.compile(spec, RecurrencePolicy.whole())) {
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
