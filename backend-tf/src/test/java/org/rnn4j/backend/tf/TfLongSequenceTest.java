package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.RecurrenceForm;
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

/** TF specifics of long sequences: the measured chunk rule, and lengths sharing the same pieces. */
class TfLongSequenceTest {
    private static ModelSpec spec(org.rnn4j.api.layers.LayerSpec... layers) {
        Sequential b = Sequential.name("m").input(-1, 2);
        for (org.rnn4j.api.layers.LayerSpec l : layers) {
            b.add(l);
        }
        return b.add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                .build();
    }

    @Test
    void longChunksWhereStepsAreCheapShortOnesWhereTheyAreNot() {
        assertEquals(128, TfBackend.chunkSteps(spec(Layers.lstm(32).returnSequences(true), Layers.lstm(16))));
        assertEquals(128, TfBackend.chunkSteps(spec(Layers.simpleRnn(32))));
        assertEquals(32, TfBackend.chunkSteps(spec(Layers.gru(32))));
        assertEquals(32, TfBackend.chunkSteps(spec(Layers.lstm(128))), "wider than the fused op's limit");
        assertEquals(32, TfBackend.chunkSteps(spec(Layers.lstm(32).dropout(0.2))), "input dropout: not fused");
        assertEquals(32, TfBackend.chunkSteps(spec(Layers.lstm(8).returnSequences(true), Layers.gru(8))));
        assertEquals(32, TfBackend.chunkSteps(spec(Layers.bidirectional(Layers.lstm(8)))));
        RecurrencePolicy p = new TfBackend().recurrencePolicy();
        ModelSpec gru = spec(Layers.gru(4));
        assertEquals(RecurrenceForm.WHOLE, p.form(gru, Mode.TRAINING, RecurrencePolicy.WHOLE_MAX_STEPS));
        assertEquals(RecurrenceForm.CHUNKED, p.form(gru, Mode.TRAINING, RecurrencePolicy.WHOLE_MAX_STEPS + 1));
    }

    /**
     * Batches of 9 to 40 steps in chunks of 8 build only the pieces of 8, 4, 2 and 1 steps (and the
     * head) per mode, never a graph per length.
     */
    @Test
    void everyLengthRunsThroughTheSameFewPieces() {
        ModelSpec spec = spec(Layers.gru(4));
        WeightStore w = WeightInitializer.initialized(spec.weights(), 1);
        try (TfBackend backend = new TfBackend();
                TfProgram p = (TfProgram) TfBackendTest.unsplit(backend.compile(spec, RecurrencePolicy.chunked(8)))) {
            for (int steps = 9; steps <= 40; steps++) {
                Tensor x = Tensor.zeros(2, steps, 2);
                p.predict(x, w);
                p.trainStep(x, Tensor.zeros(2, 1), w, Map.of());
            }
            Set<Object> keys = new HashSet<>(p.graphKeys());
            Set<Object> expected = new HashSet<>();
            for (Mode m : List.of(Mode.INFERENCE, Mode.TRAINING)) {
                for (int k : new int[] {8, 4, 2, 1}) {
                    expected.add(Piece.stage(m, false, 0, k));
                }
            }
            expected.add(Piece.head(Mode.INFERENCE, false));
            expected.add(Piece.head(Mode.TRAINING, true));
            assertEquals(expected, keys);
            assertTrue(p.graphCount() == 10);
        }
    }
}
