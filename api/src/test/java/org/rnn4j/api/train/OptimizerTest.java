package org.rnn4j.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Initializer;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

class OptimizerTest {

    private static WeightStore one(float w) {
        WeightStore s = new WeightStore(List.of(new WeightSpec("d/kernel", List.of(1), true, Initializer.zeros(), 0)));
        s.set("d/kernel", Tensor.of(new float[] {w}, 1));
        return s;
    }

    private static Map<String, Tensor> grad(float g) {
        return Map.of("d/kernel", Tensor.of(new float[] {g}, 1));
    }

    @Test
    void kerasAdamFirstStepByHand() {
        // Keras's float32 op order: alpha = lr*sqrt(1 - f32(b2)^t)/(1 - f32(b1)^t), so 1 - f32(0.999) = 9.99987e-4
        // there,
        // while the moments use f32(1 - b) = f32(0.001). Redo the step in double from those float32 constants.
        double alpha = (float) 0.1 * Math.sqrt(1 - (double) (float) 0.999) / (1 - (double) (float) 0.9);
        double m = 0.5 * (float) (1 - 0.9);
        double v = 0.25 * (float) (1 - 0.999);
        WeightStore w = one(1f);
        new Optimizer(new OptimizerSpec.Adam(0.1)).apply(w, grad(0.5f));
        assertEquals(1 - m * alpha / (Math.sqrt(v) + 1e-7), w.array("d/kernel")[0], 1e-7);
    }

    @Test
    void sgdWithMomentumAndNesterovByHand() {
        WeightStore w = one(1f);
        Optimizer sgd = new Optimizer(new OptimizerSpec.Sgd(0.1, 0.9, false));
        sgd.apply(w, grad(1f)); // v = -0.1, w = 0.9
        sgd.apply(w, grad(1f)); // v = -0.09 - 0.1 = -0.19, w = 0.71
        assertEquals(0.71, w.array("d/kernel")[0], 1e-6);
        WeightStore n = one(1f);
        new Optimizer(new OptimizerSpec.Sgd(0.1, 0.9, true)).apply(n, grad(1f)); // v=-0.1, w += 0.9*(-0.1) - 0.1 = 0.81
        assertEquals(0.81, n.array("d/kernel")[0], 1e-6);
    }

    @Test
    void rmsPropKeras3ByHand() {
        // v = 0.1 * 4 = 0.4; w = 1 - 0.01 * 2 / sqrt(0.4 + 1e-7)
        WeightStore w = one(1f);
        new Optimizer(new OptimizerSpec.RmsProp(0.01, 0.9, 0, 1e-7)).apply(w, grad(2f));
        assertEquals(1 - 0.02 / Math.sqrt(0.4000001), w.array("d/kernel")[0], 1e-6);
    }

    @Test
    void stateRestoresExactly() {
        WeightStore a = one(1f);
        Optimizer first = new Optimizer(new OptimizerSpec.Adam(0.01));
        first.apply(a, grad(0.3f));
        Optimizer resumed = new Optimizer(new OptimizerSpec.Adam(0.01));
        resumed.restore(first.state());
        WeightStore b = one(a.array("d/kernel")[0]);
        first.apply(a, grad(-0.2f));
        resumed.apply(b, grad(-0.2f));
        assertEquals(a.array("d/kernel")[0], b.array("d/kernel")[0]);
        assertEquals(2, resumed.iterations());
    }

    @Test
    void everyOptimizersStateRestoresExactly() {
        List<OptimizerSpec> specs = List.of(
                new OptimizerSpec.Nadam(),
                new OptimizerSpec.Adam().withAmsgrad(true),
                new OptimizerSpec.RmsProp(0.01, 0.9, 0.5, 1e-7, true, null),
                new OptimizerSpec.Adagrad(),
                new OptimizerSpec.Adamax(),
                new OptimizerSpec.AdamW());
        for (OptimizerSpec spec : specs) {
            WeightStore a = one(1f);
            Optimizer first = new Optimizer(spec);
            first.apply(a, grad(0.3f));
            first.setLearningRate(0.005);
            Optimizer resumed = new Optimizer(spec);
            resumed.restore(first.state());
            WeightStore b = one(a.array("d/kernel")[0]);
            for (float g : new float[] {-0.2f, 0.7f}) {
                first.apply(a, grad(g));
                resumed.apply(b, grad(g));
            }
            assertEquals(a.array("d/kernel")[0], b.array("d/kernel")[0], spec.jsonName());
            assertEquals(0.005f, resumed.learningRate(), spec.jsonName());
        }
    }

    /** ExponentialDecay(0.2, decay_steps 2, rate 0.5): step 0 -> 0.2, step 1 -> 0.2 * 0.5^0.5, step 2 -> 0.1. */
    @Test
    void aScheduleGivesEachStepItsRateAndCannotBeSet() {
        Optimizer sgd = new Optimizer(new OptimizerSpec.Sgd()
                .withSchedule(new org.rnn4j.api.compile.LearningRateSchedule.ExponentialDecay(0.2, 2, 0.5, false)));
        WeightStore w = one(0f);
        float[] expected = {0.2f, (float) (0.2 * Math.sqrt(0.5)), 0.1f};
        float sum = 0;
        for (float lr : expected) {
            assertEquals(lr, sgd.learningRate(), 1e-7);
            sgd.apply(w, grad(-1f));
            sum += lr;
        }
        assertEquals(sum, w.array("d/kernel")[0], 1e-6);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sgd.setLearningRate(0.1));
        assertTrue(e.getMessage().contains("exponential_decay"), e.getMessage());
    }

    @Test
    void onlyOneClipOptionAndAScheduleMustStartAtTheLearningRate() {
        IllegalArgumentException two =
                assertThrows(IllegalArgumentException.class, () -> new OptimizerSpec.Common(null, 1, 0.5, 0, 0));
        assertTrue(
                two.getMessage().startsWith("only one of clipnorm, clipvalue and global_clipnorm"), two.getMessage());
        IllegalArgumentException lr = assertThrows(
                IllegalArgumentException.class,
                () -> new OptimizerSpec.Sgd(
                        0.5,
                        0,
                        false,
                        OptimizerSpec.Common.NONE.withSchedule(
                                new org.rnn4j.api.compile.LearningRateSchedule.ExponentialDecay(0.1, 1, 0.5, false))));
        assertTrue(lr.getMessage().contains("starts at 0.1"), lr.getMessage());
    }

    /** MaxNorm(1) on [[3], [4]] (axis 0: the column's norm is 5): w * 1 / (5 + 1e-7). */
    @Test
    void constraintsByHand() {
        float[] w = {3, 4};
        new org.rnn4j.api.layers.Constraint.MaxNorm(1, List.of(0)).apply(w, new int[] {2, 1});
        assertEquals(3 / (5 + 1e-7), w[0], 1e-7);
        assertEquals(4 / (5 + 1e-7), w[1], 1e-7);
        // Two columns [1, 0] and [2, 2] (row-major [[1, 2], [0, 2]]): unit norm over axis 0.
        float[] u = {1, 2, 0, 2};
        new org.rnn4j.api.layers.Constraint.UnitNorm(List.of(0)).apply(u, new int[] {2, 2});
        assertEquals(1 / (1 + 1e-7), u[0], 1e-7);
        assertEquals(2 / (Math.sqrt(8) + 1e-7), u[1], 1e-7);
        // Axis 1 instead: rows [1, 2] and [0, 2].
        float[] r = {1, 2, 0, 2};
        new org.rnn4j.api.layers.Constraint.UnitNorm(List.of(1)).apply(r, new int[] {2, 2});
        assertEquals(1 / (Math.sqrt(5) + 1e-7), r[0], 1e-7);
        assertEquals(2 / (2 + 1e-7), r[3], 1e-7);
        float[] n = {-1, 2};
        new org.rnn4j.api.layers.Constraint.NonNeg().apply(n, new int[] {2});
        assertEquals(0f, n[0]);
        // MinMaxNorm(2, 3, rate 0.5) on a norm of 1: desired = 0.5 * 2 + 0.5 * 1 = 1.5.
        float[] mm = {1};
        new org.rnn4j.api.layers.Constraint.MinMaxNorm(2, 3, 0.5, List.of(0)).apply(mm, new int[] {1});
        assertEquals(1.5 / (1 + 1e-7), mm[0], 1e-6);
    }
}
