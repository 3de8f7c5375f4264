package org.rnn4j.bench.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.bench.Workload;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The hand-written generation step is the same model as the whole-sequence graph: feeding a
 * context one id at a time, the state carried from step to step, ends on the probabilities the
 * whole-sequence graph gives for the context's last step (in every form of that graph). Without
 * the carried state the last step's probabilities differ, so the comparison can tell.
 */
class TfBaselineStepTest {
    @ParameterizedTest
    @EnumSource(TfForm.class)
    void stepsWithTheStateCarriedEndOnTheWholeSequencesLastProbabilities(TfForm form) {
        Workload.Sizes s = Workload.W2.sizes(true);
        int[] context = new int[s.steps()];
        SplittableRandom rng = new SplittableRandom(7);
        for (int k = 0; k < context.length; k++) {
            context[k] = rng.nextInt(s.vocab());
        }
        try (Graph g = new Graph()) {
            TfBaselineNet net = new TfBaselineNet(g, Workload.W2, s, form);
            Ops tf = net.tf();
            Placeholder<TInt32> ids = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, s.steps())));
            Operand<TFloat32> whole = net.forward(ids, true);
            Placeholder<TInt32> id = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            Placeholder<TFloat32> h = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s.units())));
            Placeholder<TFloat32> c = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s.units())));
            TfBaselineNet.Step step = net.step(id, h, c);
            try (Session session = new Session(g, TfBaselineConfig.config())) {
                session.initialize();
                float[] expected;
                try (TInt32 in = TInt32.tensorOf(Shape.of(1, s.steps()), DataBuffers.of(context, false, false));
                        Result r = session.runner().feed(ids, in).fetch(whole).run()) {
                    expected = floats((TFloat32) r.get(0));
                }
                float[] carried = lastStep(session, step, id, h, c, context, s.units(), true);
                float[] fresh = lastStep(session, step, id, h, c, context, s.units(), false);
                double differs = 0;
                for (int v = 0; v < expected.length; v++) {
                    assertEquals(expected[v], carried[v], 1e-6, form + ": probability of id " + v);
                    differs = Math.max(differs, Math.abs(expected[v] - fresh[v]));
                }
                double gap = differs;
                assertTrue(gap > 1e-5, () -> "the carried state made no difference (" + gap + ")");
            }
        }
    }

    /** The last step's probabilities, the state carried from step to step or restarted at zero each step. */
    private static float[] lastStep(
            Session session,
            TfBaselineNet.Step step,
            Placeholder<TInt32> id,
            Placeholder<TFloat32> h,
            Placeholder<TFloat32> c,
            int[] context,
            int units,
            boolean carry) {
        float[] hs = new float[units];
        float[] cs = new float[units];
        float[] probabilities = null;
        for (int k = 0; k < context.length; k++) {
            try (TInt32 in = TInt32.vectorOf(context[k]);
                    TFloat32 hIn = TFloat32.tensorOf(Shape.of(1, units), DataBuffers.of(hs, false, false));
                    TFloat32 cIn = TFloat32.tensorOf(Shape.of(1, units), DataBuffers.of(cs, false, false));
                    Result r = session.runner()
                            .feed(id, in)
                            .feed(h, hIn)
                            .feed(c, cIn)
                            .fetch(step.probabilities())
                            .fetch(step.h())
                            .fetch(step.c())
                            .run()) {
                probabilities = floats((TFloat32) r.get(0));
                if (carry) {
                    hs = floats((TFloat32) r.get(1));
                    cs = floats((TFloat32) r.get(2));
                }
            }
        }
        return probabilities;
    }

    private static float[] floats(TFloat32 t) {
        float[] out = new float[Math.toIntExact(t.shape().size())];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }
}
