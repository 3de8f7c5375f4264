package org.rnn4j.backend.tf;

import java.util.Random;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/** Seeded weights and inputs for small test models, plus conversions to the doubles {@link Reference} computes in. */
final class Fixtures {
    private Fixtures() {}

    /** Conv1D(1 filter, kernel 5) then global max pooling over a free number of steps: fewer than 5 cannot run. */
    static ModelSpec kernelOfFive() {
        return Sequential.name("short")
                .input(-1, 1)
                .add(Layers.conv1d(1, 5))
                .add(Layers.globalMaxPooling1d())
                .build();
    }

    /** W2's wiring at toy sizes: ids of a 9-token vocabulary, Embedding(4), LSTM(6) over the sequence, softmax per step. */
    static ModelSpec charModel() {
        return Sequential.name("w2like")
                .tokenInput(-1)
                .add(Layers.embedding(9, 4))
                .add(Layers.lstm(6).returnSequences(true))
                .add(Layers.dense(9, Activation.SOFTMAX))
                .compile(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Adam())
                .build();
    }

    /** Every weight uniform in [-scale, scale); BatchNormalization variances in [0.5, 1.5) so they stay positive. */
    static WeightStore weights(ModelSpec spec, long seed, double scale) {
        WeightStore store = new WeightStore(spec.weights());
        Random rnd = new Random(seed);
        for (WeightSpec w : spec.weights()) {
            float[] a = store.array(w.name());
            boolean variance = w.name().endsWith("/moving_variance");
            for (int k = 0; k < a.length; k++) {
                double u = rnd.nextDouble() * 2 - 1;
                a[k] = (float) (variance ? 1 + 0.5 * u : scale * u);
            }
        }
        store.touch();
        return store;
    }

    static Tensor floats(long seed, double scale, int... shape) {
        Random rnd = new Random(seed);
        float[] a = new float[Math.toIntExact(Tensor.size(shape))];
        for (int k = 0; k < a.length; k++) {
            a[k] = (float) (scale * (rnd.nextDouble() * 2 - 1));
        }
        return Tensor.of(a, shape);
    }

    /** A weight as a matrix {@code [rows][cols]} (vectors as one row). */
    static double[][] matrix(WeightStore store, String name) {
        int[] s = store.spec(name).shapeArray();
        int rows = s.length == 1 ? 1 : s[0];
        int cols = s.length == 1 ? s[0] : s[1];
        float[] a = store.array(name);
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = a[r * cols + c];
            }
        }
        return m;
    }

    static double[] vector(WeightStore store, String name) {
        float[] a = store.array(name);
        double[] v = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            v[k] = a[k];
        }
        return v;
    }

    /** {@code [batch, time, features]} as doubles. */
    static double[][][] sequence(Tensor t) {
        int b = t.dim(0);
        int time = t.dim(1);
        int f = t.dim(2);
        double[][][] x = new double[b][time][f];
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < time; s++) {
                for (int j = 0; j < f; j++) {
                    x[i][s][j] = t.getDouble((i * time + s) * f + j);
                }
            }
        }
        return x;
    }

    /** {@code [batch, features]} as doubles. */
    static double[][] rows(Tensor t) {
        int b = t.dim(0);
        int f = t.size() / b;
        double[][] x = new double[b][f];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < f; j++) {
                x[i][j] = t.getDouble(i * f + j);
            }
        }
        return x;
    }

    static double[] flat(double[][] x) {
        return java.util.Arrays.stream(x)
                .flatMapToDouble(java.util.Arrays::stream)
                .toArray();
    }

    static double[] flat(double[][][] x) {
        return java.util.Arrays.stream(x)
                .flatMap(java.util.Arrays::stream)
                .flatMapToDouble(java.util.Arrays::stream)
                .toArray();
    }

    /** The largest absolute difference between a float tensor and doubles in row-major order. */
    static double maxAbsDiff(Tensor actual, double[] expected) {
        if (actual.size() != expected.length) {
            throw new AssertionError("output has " + actual.size() + " values, expected " + expected.length);
        }
        double max = 0;
        for (int k = 0; k < expected.length; k++) {
            double d = Math.abs(actual.getDouble(k) - expected[k]);
            if (!(d <= max)) {
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return max;
    }

    /**
     * The same training step from two implementations: loss and outputs within 1e-6, every
     * gradient (same names and shapes) within 1e-5.
     */
    static void assertSameStep(
            org.rnn4j.api.backend.Program.StepResult expected,
            org.rnn4j.api.backend.Program.StepResult actual,
            String what) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.loss(), actual.loss(), 1e-6, what + ": loss");
        double out = expected.output().maxAbsDiff(actual.output());
        org.junit.jupiter.api.Assertions.assertTrue(out <= 1e-6, what + ": outputs differ by " + out);
        org.junit.jupiter.api.Assertions.assertEquals(
                expected.gradients().keySet(), actual.gradients().keySet());
        for (String k : expected.gradients().keySet()) {
            Tensor e = expected.gradients().get(k);
            Tensor a = actual.gradients().get(k);
            org.junit.jupiter.api.Assertions.assertArrayEquals(e.shape(), a.shape(), k);
            org.junit.jupiter.api.Assertions.assertTrue(
                    e.maxAbsDiff(a) <= 1e-5, what + ": gradients of " + k + " differ by " + e.maxAbsDiff(a));
        }
    }
}
