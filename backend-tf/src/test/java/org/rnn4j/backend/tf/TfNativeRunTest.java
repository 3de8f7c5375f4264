package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Runs through TensorFlow's C API ({@link TfNativeRun}): the handles are readable on the pinned
 * TensorFlow Java, the numbers are the runner's bit for bit, a refused run throws the runner's
 * exception, and no C tensor outlives what holds it.
 */
class TfNativeRunTest {

    /** A TensorFlow Java upgrade that hides the handles elsewhere must fail here, not run slower unnoticed. */
    @Test
    void theHandlesAreReadableOnThePinnedTensorFlowJava() {
        assertTrue(TfNativeRun.available(), () -> "native runs are off: " + TfNativeRun.whyUnavailable());
        assertTrue(TfNativeRun.enabled());
    }

    private static TfProgram program(ModelSpec spec, boolean nativeRuns) {
        String before = System.getProperty(TfNativeRun.PROPERTY);
        System.setProperty(TfNativeRun.PROPERTY, Boolean.toString(nativeRuns));
        try {
            return new TfProgram(spec, TfSessionOptions.defaults().toConfigProto(), p -> {});
        } finally {
            if (before == null) {
                System.clearProperty(TfNativeRun.PROPERTY);
            } else {
                System.setProperty(TfNativeRun.PROPERTY, before);
            }
        }
    }

    /**
     * The same pieces through the C API and through {@code Session.Runner}: one-step stream steps
     * (on the calling thread), a 40-step advance (one piece, through the inter-op pool) and a
     * training segment's gradients (a backward piece) agree exactly.
     */
    @Test
    void nativeRunsGiveTheRunnersNumbersBitForBit() {
        ModelSpec spec = Fixtures.charModel();
        WeightStore w = Fixtures.weights(spec, 11, 0.5);
        try (TfProgram fast = program(spec, true);
                TfProgram runner = program(spec, false)) {
            RecurrentState a = RecurrentState.zeros();
            RecurrentState b = RecurrentState.zeros();
            for (int k = 0; k < 6; k++) {
                Tensor id = Tensor.ofInts(new int[] {1 + k % 8, 8 - k % 8}, 2, 1);
                Program.Advance x = fast.advance(id, a, w);
                Program.Advance y = runner.advance(id, b, w);
                assertArrayEquals(y.output().toFloatArray(), x.output().toFloatArray(), "step " + k);
                a = x.state();
                b = y.state();
            }
            assertEquals(2, fast.echoCount(), "the native program feeds its states back as they are");
            assertEquals(0, runner.echoCount(), "the runner keeps none");
            int[] ids = new int[2 * 40];
            for (int k = 0; k < ids.length; k++) {
                ids[k] = (k * 7 + 3) % 9;
            }
            Tensor long40 = Tensor.ofInts(ids, 2, 40);
            Program.Advance x = fast.advance(long40, a, w);
            Program.Advance y = runner.advance(long40, b, w);
            assertArrayEquals(y.output().toFloatArray(), x.output().toFloatArray(), "40 steps");
            for (String n : x.state().names()) {
                assertArrayEquals(
                        y.state().get(n).toFloatArray(), x.state().get(n).toFloatArray(), n);
            }

            Tensor target = Tensor.ofInts(java.util.Arrays.copyOf(ids, 2 * 10), 2, 10);
            Tensor input = Tensor.ofInts(java.util.Arrays.copyOfRange(ids, 3, 3 + 2 * 10), 2, 10);
            Program.SegmentResult sx = fast.trainSegment(input, target, x.state(), w, Map.of(), 10);
            Program.SegmentResult sy = runner.trainSegment(input, target, y.state(), w, Map.of(), 10);
            assertEquals(sy.step().loss(), sx.step().loss());
            assertEquals(sy.step().gradients().keySet(), sx.step().gradients().keySet());
            for (String n : sx.step().gradients().keySet()) {
                assertArrayEquals(
                        sy.step().gradients().get(n).toFloatArray(),
                        sx.step().gradients().get(n).toFloatArray(),
                        "gradient of " + n);
            }
        }
    }

    /** Whole-sequence graphs too: a training step's loss and gradients and a forecast agree exactly. */
    @Test
    void wholeGraphsGiveTheRunnersNumbersBitForBit() {
        ModelSpec spec = Fixtures.charModel();
        WeightStore w = Fixtures.weights(spec, 13, 0.5);
        int[] ids = new int[3 * 12];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = (k * 5 + 1) % 9;
        }
        Tensor input = Tensor.ofInts(ids, 3, 12);
        Tensor target = Tensor.ofInts(java.util.Arrays.copyOfRange(ids, 1, 1 + ids.length), 3, 12);
        try (TfProgram fast = program(spec, true);
                TfProgram runner = program(spec, false)) {
            Program.StepResult x = fast.trainStep(input, target, w, Map.of());
            Program.StepResult y = runner.trainStep(input, target, w, Map.of());
            assertEquals(y.loss(), x.loss());
            assertArrayEquals(y.output().toFloatArray(), x.output().toFloatArray());
            assertEquals(y.gradients().keySet(), x.gradients().keySet());
            for (String n : x.gradients().keySet()) {
                assertArrayEquals(
                        y.gradients().get(n).toFloatArray(),
                        x.gradients().get(n).toFloatArray(),
                        "gradient of " + n);
            }
            assertArrayEquals(
                    runner.predict(input, w).toFloatArray(),
                    fast.predict(input, w).toFloatArray(),
                    "predict");
        }
    }

    /**
     * After 300 stream steps only the last step's h and c are alive (as echoes); closing the program
     * frees them. Every input made for a run and every output copied out was deleted.
     */
    @Test
    void aStreamLeavesNoCTensorBehind() {
        ModelSpec spec = Fixtures.charModel();
        WeightStore w = Fixtures.weights(spec, 3, 0.5);
        long before = TfTensors.liveNative();
        TfProgram p = program(spec, true);
        try {
            RecurrentState s = RecurrentState.zeros();
            for (int k = 0; k < 300; k++) {
                s = p.advance(Tensor.ofInts(new int[] {k % 9}, 1, 1), s, w).state();
            }
            assertEquals(2, TfTensors.liveNative() - before);
        } finally {
            p.close();
        }
        assertEquals(before, TfTensors.liveNative());
    }

    /**
     * A caller's open {@code PointerScope} adopts the JavaCPP pointers made inside it and frees them
     * when it closes; the arrays a program keeps for its next runs must not be among them. The
     * first run here makes them inside the caller's scope; the runs after it still work.
     */
    @Test
    void aCallersPointerScopeDoesNotFreeThePooledArrays() {
        ModelSpec spec = Fixtures.charModel();
        WeightStore w = Fixtures.weights(spec, 7, 0.5);
        Tensor id = Tensor.ofInts(new int[] {3}, 1, 1);
        try (TfProgram fast = program(spec, true);
                TfProgram runner = program(spec, false)) {
            Program.Advance first;
            try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
                first = fast.advance(id, RecurrentState.zeros(), w);
            }
            Program.Advance second = fast.advance(id, first.state(), w);
            Program.Advance expected = runner.advance(
                    id, runner.advance(id, RecurrentState.zeros(), w).state(), w);
            assertArrayEquals(expected.output().toFloatArray(), second.output().toFloatArray());
        }
    }

    /**
     * A run TensorFlow refuses inside a program (two time steps under a convolution kernel of five)
     * fails as the runner's would, frees every C tensor it made, and the program's next run works.
     */
    @Test
    void aRefusedProgramRunLeavesNothingBehindAndTheNextRunWorks() {
        ModelSpec spec = Fixtures.kernelOfFive();
        WeightStore w = Fixtures.weights(spec, 1, 0.5);
        long before = TfTensors.liveNative();
        try (TfProgram p = program(spec, true)) {
            org.rnn4j.api.backend.BackendException e = assertThrows(
                    org.rnn4j.api.backend.BackendException.class, () -> p.predict(Tensor.zeros(1, 2, 1), w));
            assertTrue(e.getCause() instanceof TFInvalidArgumentException, () -> String.valueOf(e.getCause()));
            assertEquals(before, TfTensors.liveNative(), "the refused run's input was freed");
            float[] x = {1, 2, 3, 4, 5, 6};
            float[] out = p.predict(Tensor.of(x, 1, 6, 1), w).toFloatArray();
            // conv1d(1, 5), valid padding: two windows; the max of w . window + b over them.
            float[] k = w.array("conv1d/kernel");
            float b = w.array("conv1d/bias")[0];
            double best = Double.NEGATIVE_INFINITY;
            for (int start = 0; start < 2; start++) {
                double sum = b;
                for (int j = 0; j < 5; j++) {
                    sum += (double) k[j] * x[start + j];
                }
                best = Math.max(best, sum);
            }
            assertEquals(best, out[0], 1e-5);
        }
        assertEquals(before, TfTensors.liveNative());
    }

    /**
     * A run TensorFlow refuses (an index outside a gather's table) throws what the runner throws; the same
     * native run then serves a good run with more feeds than it was first made for.
     */
    @Test
    void aRefusedRunReturnsTensorFlowsMessageAndTheNextRunWorks() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TInt32> ids = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            Placeholder<TFloat32> scale = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            Operand<TFloat32> table = tf.constant(new float[] {10, 20, 30});
            Operand<TFloat32> picked = tf.gather(table, ids, tf.constant(0));
            Operand<TFloat32> scaled = tf.math.mul(picked, scale);
            try (Session s = new Session(g);
                    TfNativeRun run = new TfNativeRun()) {
                TF_Tensor bad = TfTensors.toNative(Tensor.ofInts(new int[] {0, 7}, 2));
                try {
                    run.start(1, 1);
                    run.feed(ids.asOutput(), bad);
                    run.fetch(picked.asOutput());
                    TFInvalidArgumentException e = assertThrows(
                            TFInvalidArgumentException.class,
                            () -> run.run(TfNativeRun.handle(s), TfNativeRun.IN_CALLER_THREAD));
                    assertTrue(e.getMessage().contains("7"), e.getMessage());
                } finally {
                    TfTensors.delete(bad);
                }
                TF_Tensor good = TfTensors.toNative(Tensor.ofInts(new int[] {2, 0}, 2));
                TF_Tensor half = TfTensors.toNative(Tensor.of(new float[] {0.5f}));
                try {
                    run.start(2, 2);
                    run.feed(ids.asOutput(), good);
                    run.feed(scale.asOutput(), half);
                    run.fetch(scaled.asOutput());
                    run.fetch(picked.asOutput());
                    run.run(TfNativeRun.handle(s), null);
                    TF_Tensor o0 = TfTensors.received(run.output(0));
                    TF_Tensor o1 = TfTensors.received(run.output(1));
                    try {
                        assertArrayEquals(
                                new float[] {15, 5}, TfTensors.fromNative(o0).toFloatArray());
                        assertArrayEquals(
                                new float[] {30, 10}, TfTensors.fromNative(o1).toFloatArray());
                    } finally {
                        TfTensors.delete(o0);
                        TfTensors.delete(o1);
                    }
                } finally {
                    TfTensors.delete(good);
                    TfTensors.delete(half);
                }
            }
        }
    }
}
