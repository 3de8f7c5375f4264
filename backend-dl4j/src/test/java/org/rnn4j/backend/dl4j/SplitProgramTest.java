package org.rnn4j.backend.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.backend.SplitProgram;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.Regularizer;
import org.rnn4j.api.layers.WeightRules;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.api.weights.WeightStore;

/**
 * A training step split by rows over parts ({@link SplitProgram}) against the same step run whole
 * by one {@link Dl4jProgram} (itself checked against Keras and TensorFlow.js by the conformance
 * suite): every term of the loss, and so every gradient, is the parts' weighted by their rows.
 */
class SplitProgramTest {
    /**
     * LSTM(256) after an embedding, with input dropout, a kernel regularizer and an activity
     * regularizer on the head: 32 rows make 2 parts of 16 (each 16 x 2 x 256 x 1024 = 8.4 MFLOP a
     * step, over the rule's bar).
     */
    private static ModelSpec big(boolean batchNorm) {
        Sequential b = Sequential.builder()
                .tokenInput(4)
                .add(Layers.embedding(11, 8))
                .add(withKernelPenalty(Layers.lstm(256).returnSequences(true).dropout(0.2)));
        if (batchNorm) {
            b.add(Layers.batchNormalization());
        }
        return b.add(Layers.dense(5).withRules(WeightRules.NONE.withActivityRegularizer(Regularizer.l1(0.003))))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
    }

    private static org.rnn4j.api.layers.RecurrentSpec withKernelPenalty(org.rnn4j.api.layers.RecurrentSpec l) {
        org.rnn4j.api.layers.LstmSpec lstm = (org.rnn4j.api.layers.LstmSpec) l;
        return lstm.withOptions(lstm.options().withRules(WeightRules.NONE.withKernelRegularizer(Regularizer.l2(0.01))));
    }

    private static Tensor ids(int rows, int steps, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] v = new int[rows * steps];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(11);
        }
        return Tensor.ofInts(v, rows, steps);
    }

    private static Tensor floats(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(Tensor.size(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return Tensor.of(v, shape);
    }

    private static Map<String, Tensor> masks(ModelSpec spec, int steps, int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (NoiseSpec n : ModelGraph.noiseSpecs(spec, steps)) {
            int[] shape = n.shapeWithBatch(rows);
            float[] m = new float[Math.toIntExact(Tensor.size(shape))];
            for (int k = 0; k < m.length; k++) {
                m[k] = r.nextDouble() >= n.rate() ? (float) (1 / (1 - n.rate())) : 0f;
            }
            out.put(n.name(), Tensor.of(m, shape));
        }
        return out;
    }

    /** A batch of {@code rows} for {@link #big}: its weights, token ids, targets and dropout masks. */
    private record Batch(ModelSpec spec, WeightStore w, Tensor x, Tensor y, Map<String, Tensor> noise) {
        /** Ids from {@code seed}, targets from {@code seed + 1}, masks from {@code seed + 2}. */
        static Batch of(boolean batchNorm, int rows, long seed) {
            ModelSpec spec = big(batchNorm);
            return new Batch(
                    spec,
                    WeightInitializer.initialized(spec.weights(), 3),
                    ids(rows, 4, seed),
                    floats(seed + 1, rows, 4, 5),
                    masks(spec, 4, rows, seed + 2));
        }
    }

    private static SplitProgram split(ModelSpec spec) {
        return new SplitProgram(
                spec,
                "dl4j",
                List.of(
                        new Dl4jProgram(spec, RecurrencePolicy.defaults(), () -> {}),
                        new Dl4jProgram(spec, RecurrencePolicy.defaults(), () -> {})),
                Dl4jRuntime::oneBlasThread,
                Dl4jRuntime::allBlasThreads,
                () -> {});
    }

    @Test
    void aSplitStepIsTheWholeStep() {
        Batch b33 = Batch.of(false, 33, 1);
        ModelSpec spec = b33.spec();
        WeightStore w = b33.w();
        Tensor x = b33.x();
        Tensor y = b33.y();
        Tensor sw = floats(4, 33, 4);
        Map<String, Tensor> noise = b33.noise();
        assertFalse(noise.isEmpty(), "the dropout's masks are split too");
        try (SplitProgram s = split(spec);
                Dl4jProgram whole = new Dl4jProgram(spec, RecurrencePolicy.defaults(), () -> {})) {
            assertEquals(2, s.partsFor(33), "33 rows: parts of 17 and 16");
            // The first step runs whole (it finds out whether the model reports batch statistics).
            s.trainStep(x, y, w, noise);
            for (Tensor weights : new Tensor[] {null, sw}) {
                Program.StepResult a = s.trainStep(x, y, weights, w, noise);
                Program.StepResult b = whole.trainStep(x, y, weights, w, noise);
                assertEquals(b.loss(), a.loss(), 1e-6 * Math.abs(b.loss()), "loss");
                assertArrayEquals(b.output().shape(), a.output().shape());
                assertTrue(
                        b.output().maxAbsDiff(a.output()) <= 1e-6,
                        "outputs: " + b.output().maxAbsDiff(a.output()));
                assertEquals(b.gradients().keySet(), a.gradients().keySet());
                for (String k : b.gradients().keySet()) {
                    Tensor gb = b.gradients().get(k);
                    Tensor ga = a.gradients().get(k);
                    assertArrayEquals(gb.shape(), ga.shape(), k);
                    double scale = gb.maxAbsDiff(Tensor.zeros(gb.shape()));
                    assertTrue(scale > 0, k + " is all zeros");
                    assertTrue(
                            gb.maxAbsDiff(ga) <= 1e-5 * Math.max(1, scale),
                            k + ": split and whole differ by " + gb.maxAbsDiff(ga) + " (largest " + scale + ")");
                }
            }
        }
    }

    /**
     * OpenBLAS runs one thread per part in split steps and its own count otherwise: a run of split
     * steps sets it once and keeps it, the next call that runs whole gives it back, and so does
     * close.
     */
    @Test
    void splitStepsHoldOneBlasThreadUntilAWholeCall() {
        Batch b = Batch.of(false, 32, 1);
        org.nd4j.linalg.api.blas.Blas blas =
                org.nd4j.linalg.factory.Nd4j.factory().blas();
        int before = blas.getMaxThreads();
        try {
            try (SplitProgram s = split(b.spec())) {
                s.trainStep(b.x(), b.y(), b.w(), b.noise()); // whole: it finds out there are no batch statistics
                blas.setMaxThreads(2); // the count to give back, whatever this machine's cores
                s.trainStep(b.x(), b.y(), b.w(), b.noise());
                assertEquals(1, blas.getMaxThreads(), "held after a split step");
                s.trainStep(b.x(), b.y(), b.w(), b.noise());
                assertEquals(1, blas.getMaxThreads(), "still held after the next");
                s.predict(b.x(), b.w());
                assertEquals(2, blas.getMaxThreads(), "given back by a whole call");
                s.trainStep(b.x(), b.y(), b.w(), b.noise());
                assertEquals(1, blas.getMaxThreads(), "held again");
            }
            assertEquals(2, blas.getMaxThreads(), "given back at close");
        } finally {
            blas.setMaxThreads(before);
        }
    }

    /** Batch statistics are of the whole batch: such a model always runs whole, bit for bit as one program. */
    @Test
    void aModelWithBatchStatisticsRunsWhole() {
        Batch batch = Batch.of(true, 32, 7);
        ModelSpec spec = batch.spec();
        WeightStore w = batch.w();
        Tensor x = batch.x();
        Tensor y = batch.y();
        Map<String, Tensor> noise = batch.noise();
        try (SplitProgram s = split(spec);
                Dl4jProgram whole = new Dl4jProgram(spec, RecurrencePolicy.defaults(), () -> {})) {
            for (int step = 0; step < 2; step++) {
                Program.StepResult a = s.trainStep(x, y, w, noise);
                Program.StepResult b = whole.trainStep(x, y, w, noise);
                assertFalse(a.batchStats().isEmpty(), "the statistics are reported");
                assertEquals(b.loss(), a.loss(), 0.0);
                for (String k : b.gradients().keySet()) {
                    assertEquals(
                            0.0, b.gradients().get(k).maxAbsDiff(a.gradients().get(k)), k);
                }
            }
        }
    }

    /** Hand-worked: 2 x units x gates x units FLOPs a row and step; at least 16 rows and 4 MFLOP a part. */
    @Test
    void theRuleSplitsOnlyBigSteps() {
        assertEquals(2.0 * 256 * 1024, SplitProgram.recurrentFlopsPerRow(big(false)));
        ModelSpec w1b = Sequential.builder()
                .input(50, 1)
                .add(Layers.lstm(50).returnSequences(true))
                .add(Layers.lstm(50))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                .build();
        assertEquals(2 * (2.0 * 50 * 200), SplitProgram.recurrentFlopsPerRow(w1b));
        ModelSpec gru = Sequential.builder()
                .input(5, 1)
                .add(Layers.bidirectional(Layers.gru(64)))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                .build();
        assertEquals(2 * 2.0 * 64 * 192, SplitProgram.recurrentFlopsPerRow(gru));
        assertEquals(2, SplitProgram.parts(big(false), 64, 2), "W2's shape: 32 rows x 0.52 MFLOP");
        assertEquals(4, SplitProgram.parts(big(false), 64, 8), "16 rows a part at most 4 parts");
        assertEquals(1, SplitProgram.parts(big(false), 31, 2), "15 rows a part: too few");
        assertEquals(1, SplitProgram.parts(w1b, 32, 2), "W1b: 16 rows x 40 kFLOP = 0.64 MFLOP");
        assertEquals(2, SplitProgram.parts(w1b, 1000, 2), "500 rows x 40 kFLOP = 20 MFLOP");
    }

    @Test
    void theBackendSplitsUnlessToldNot() {
        String old = System.getProperty(SplitProgram.PROPERTY);
        try {
            System.setProperty(SplitProgram.PROPERTY, "false");
            assertEquals(1, SplitProgram.parts());
            try (Dl4jBackend b = new Dl4jBackend()) {
                assertInstanceOf(Dl4jProgram.class, b.compile(big(false), RecurrencePolicy.defaults()));
            }
            System.setProperty(SplitProgram.PROPERTY, "true");
            assertEquals(
                    Math.min(SplitProgram.MAX_PARTS, Runtime.getRuntime().availableProcessors()), SplitProgram.parts());
            if (SplitProgram.parts() > 1) {
                try (Dl4jBackend b = new Dl4jBackend()) {
                    assertInstanceOf(SplitProgram.class, b.compile(big(false), RecurrencePolicy.defaults()));
                }
            }
            System.setProperty(SplitProgram.PROPERTY, "sometimes");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SplitProgram::parts);
            assertTrue(e.getMessage().contains(SplitProgram.PROPERTY), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(SplitProgram.PROPERTY);
            } else {
                System.setProperty(SplitProgram.PROPERTY, old);
            }
        }
    }

    @Test
    void aClosedSplitProgramRefusesCallsLikeAnother() {
        ModelSpec spec = big(false);
        WeightStore w = WeightInitializer.initialized(spec.weights(), 3);
        SplitProgram s = split(spec);
        s.trainStep(ids(32, 4, 1), floats(2, 32, 4, 5), w, masks(spec, 4, 32, 3));
        s.close();
        s.close();
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> s.trainStep(ids(32, 4, 1), floats(2, 32, 4, 5), w, masks(spec, 4, 32, 3)),
                () -> s.predict(ids(2, 4, 1), w))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals(
                    "the dl4j program of model '" + spec.name() + "' is closed; compile the model again",
                    e.getMessage());
        }
    }
}
