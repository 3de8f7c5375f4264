package org.rnn4j.api.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.layers.Initializer;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.model.WeightSpec;

class WeightInitializerTest {

    @Test
    void orthogonalRowsAreOrthonormalForAWideRecurrentKernel() {
        WeightSpec w = new WeightSpec("lstm/recurrent_kernel", List.of(6, 24), true, Initializer.orthogonal(), 0);
        float[] q = WeightInitializer.draw(w, 1);
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                double dot = 0;
                for (int c = 0; c < 24; c++) {
                    dot += q[a * 24 + c] * q[b * 24 + c];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-5, "rows " + a + ", " + b);
            }
        }
    }

    @Test
    void glorotUniformStaysWithinItsLimit() {
        WeightSpec w = new WeightSpec("d/kernel", List.of(40, 60), true, Initializer.glorotUniform(), 0);
        float[] v = WeightInitializer.draw(w, 3);
        double limit = Math.sqrt(6.0 / (40 + 60));
        double var = 0;
        for (float x : v) {
            assertTrue(Math.abs(x) <= limit);
            var += x * x;
        }
        // Uniform(-l, l) has variance l^2/3 = 2/(fan_in + fan_out) = 0.02.
        assertEquals(0.02, var / v.length, 0.002);
    }

    @Test
    void lstmBiasStartsWithUnitForgetBias() {
        ModelSpec spec = Sequential.builder().input(3, 2).add(Layers.lstm(2)).build();
        WeightStore s = WeightInitializer.initialized(spec.weights(), 1);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 0}, s.array("lstm/bias"));
    }

    @Test
    void sameSeedSameNumbersAndOtherWeightsUnaffected() {
        ModelSpec small = Sequential.builder().input(3, 2).add(Layers.lstm(2)).build();
        ModelSpec bigger = Sequential.builder()
                .input(3, 2)
                .add(Layers.lstm(2))
                .add(Layers.dense(1))
                .build();
        WeightStore a = WeightInitializer.initialized(small.weights(), 42);
        WeightStore b = WeightInitializer.initialized(bigger.weights(), 42);
        assertArrayEquals(a.array("lstm/kernel"), b.array("lstm/kernel"));
        WeightStore c = WeightInitializer.initialized(small.weights(), 43);
        assertFalse(Arrays.equals(a.array("lstm/kernel"), c.array("lstm/kernel")));
    }
}
