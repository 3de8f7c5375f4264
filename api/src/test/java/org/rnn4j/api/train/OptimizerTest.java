package org.rnn4j.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
