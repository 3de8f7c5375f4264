package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;

/** Each op of {@link TfOps} against plain Java, and the existence of its gradient in TensorFlow's C++ registry. */
class TfOpsTest {
    /** x = [[0.5, -1, 2], [-0.25, 3, 1.5]]: both signs, no zeros (log, sqrt and 1/x stay defined). */
    private static final float[] X = {0.5f, -1f, 2f, -0.25f, 3f, 1.5f};

    private static final int[] IDS = {2, 0, 1, 2};

    /** Builds {@code f(ops, x, ids)} with x float [-1, 3] and ids int [-1, 2]; returns its value and, if asked, d(sum f)/dx. */
    private static Tensor[] eval(BiFunction<TfOps, Operand<?>[], Operand<?>> f, boolean gradient) {
        try (Graph g = new Graph()) {
            TfOps ops = new TfOps(g);
            Operand<?> x = ops.placeholder("x", DType.FLOAT32, -1, 3);
            Operand<?> ids = ops.placeholder("ids", DType.INT32, -1, 2);
            Operand<?> y = f.apply(ops, new Operand<?>[] {x, ids});
            Output<?> dx = null;
            if (gradient) {
                Operand<?> total = ops.sum(ops.reshape(y, -1), 0, false);
                dx = g.addGradients(total.asOutput(), new Output<?>[] {x.asOutput()})[0];
            }
            try (Session s = new Session(g);
                    org.tensorflow.Tensor xv = TfTensors.toTf(Tensor.of(X, 2, 3));
                    org.tensorflow.Tensor iv = TfTensors.toTf(Tensor.ofInts(IDS, 2, 2))) {
                Session.Runner r = s.runner().feed(x, xv).feed(ids, iv).fetch(y);
                if (dx != null) {
                    r.fetch(dx);
                }
                try (Result res = r.run()) {
                    return dx == null
                            ? new Tensor[] {TfTensors.toApi(res.get(0))}
                            : new Tensor[] {TfTensors.toApi(res.get(0)), TfTensors.toApi(res.get(1))};
                }
            }
        }
    }

    private static void assertValues(double[] expected, int[] shape, Tensor actual) {
        assertArrayEquals(shape, actual.shape());
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual.getDouble(k), 1e-6 * Math.max(1, Math.abs(expected[k])), "element " + k);
        }
    }

    /** An element-wise op: values and derivative against Java, by central differences in double. */
    private static void assertUnary(BiFunction<TfOps, Operand<?>, Operand<?>> op, DoubleUnaryOperator java) {
        Tensor[] r = eval((ops, in) -> op.apply(ops, in[0]), true);
        double[] expected = new double[X.length];
        double[] slope = new double[X.length];
        for (int k = 0; k < X.length; k++) {
            expected[k] = java.applyAsDouble(X[k]);
            slope[k] = (java.applyAsDouble(X[k] + 1e-6) - java.applyAsDouble(X[k] - 1e-6)) / 2e-6;
        }
        assertValues(expected, new int[] {2, 3}, r[0]);
        for (int k = 0; k < X.length; k++) {
            assertEquals(slope[k], r[1].getDouble(k), 1e-4 * Math.max(1, Math.abs(slope[k])), "derivative at " + X[k]);
        }
    }

    @Test
    void elementWiseOpsAndTheirGradients() {
        assertUnary(TfOps::tanh, Math::tanh);
        assertUnary(TfOps::sigmoid, v -> 1 / (1 + Math.exp(-v)));
        assertUnary(TfOps::relu, v -> Math.max(0, v));
        assertUnary(TfOps::exp, Math::exp);
        assertUnary(TfOps::abs, Math::abs);
        assertUnary(TfOps::square, v -> v * v);
        assertUnary(TfOps::softplus, v -> Math.log1p(Math.exp(v)));
        assertUnary((ops, x) -> ops.log(ops.abs(x)), v -> Math.log(Math.abs(v)));
        assertUnary((ops, x) -> ops.sqrt(ops.abs(x)), v -> Math.sqrt(Math.abs(v)));
        assertUnary((ops, x) -> ops.add(x, ops.scalar(2f)), v -> v + 2);
        assertUnary((ops, x) -> ops.sub(ops.scalar(2f), x), v -> 2 - v);
        assertUnary((ops, x) -> ops.mul(x, ops.scalar(3f)), v -> 3 * v);
        assertUnary((ops, x) -> ops.div(ops.scalar(1f), x), v -> 1 / v);
        assertUnary((ops, x) -> ops.minimum(x, ops.scalar(1f)), v -> Math.min(v, 1));
        assertUnary((ops, x) -> ops.maximum(x, ops.scalar(0f)), v -> Math.max(v, 0));
    }

    @Test
    void binaryOpsBroadcastAndDifferentiateBothSides() {
        Tensor[] r =
                eval((ops, in) -> ops.mul(ops.sum(ops.add(in[0], ops.reshape(in[0], 2, 3)), 0, true), in[0]), true);
        // y_bj = c_j * x_bj with c_j = 2 * colsum_j ([1,3] broadcast over [2,3]); d(sum y)/dx_bj = c_j + 2 * colsum_j
        double[] colsum = {X[0] + X[3], X[1] + X[4], X[2] + X[5]};
        double[] expected = new double[6];
        double[] grad = new double[6];
        for (int k = 0; k < 6; k++) {
            expected[k] = 2 * colsum[k % 3] * X[k];
            grad[k] = 4 * colsum[k % 3];
        }
        assertValues(expected, new int[] {2, 3}, r[0]);
        assertValues(grad, new int[] {2, 3}, r[1]);
    }

    @Test
    void matmulSoftmaxAndReductions() {
        Tensor mm = eval(
                (ops, in) -> ops.matmul(
                        in[0],
                        ops.reshape(ops.stack(List.of(ops.scalar(1f), ops.scalar(2f), ops.scalar(3f)), 0), 3, 1)),
                true)[0];
        assertValues(new double[] {0.5 - 2 + 6, -0.25 + 6 + 4.5}, new int[] {2, 1}, mm);

        Tensor sm = eval((ops, in) -> ops.softmax(in[0]), true)[0];
        for (int b = 0; b < 2; b++) {
            double z = 0;
            for (int j = 0; j < 3; j++) {
                z += Math.exp(X[b * 3 + j]);
            }
            for (int j = 0; j < 3; j++) {
                assertEquals(Math.exp(X[b * 3 + j]) / z, sm.getDouble(b * 3 + j), 1e-6);
            }
        }
        assertValues(new double[] {1.5, 4.25}, new int[] {2, 1}, eval((ops, in) -> ops.sum(in[0], -1, true), true)[0]);
        assertValues(new double[] {0.25, 2, 3.5}, new int[] {3}, eval((ops, in) -> ops.sum(in[0], 0, false), true)[0]);
        assertValues(
                new double[] {0.5, 4.25 / 3}, new int[] {2}, eval((ops, in) -> ops.mean(in[0], -1, false), true)[0]);
        Tensor[] all = eval((ops, in) -> ops.meanAll(in[0]), true);
        assertValues(new double[] {5.75 / 6}, new int[] {}, all[0]);
        assertValues(new double[] {1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0}, new int[] {2, 3}, all[1]);
    }

    @Test
    void shapeOpsKeepRankAndRouteGradients() {
        Tensor[] sl = eval((ops, in) -> ops.slice(in[0], -1, 1, 2), true);
        assertValues(new double[] {-1, 2, 3, 1.5}, new int[] {2, 2}, sl[0]);
        assertValues(new double[] {0, 1, 1, 0, 1, 1}, new int[] {2, 3}, sl[1]);
        assertValues(
                new double[] {-0.25, 3, 1.5}, new int[] {1, 3}, eval((ops, in) -> ops.slice(in[0], 0, 1, 1), true)[0]);

        Tensor[] cat = eval((ops, in) -> ops.concat(List.of(in[0], ops.square(in[0])), 1), true);
        assertArrayEquals(new int[] {2, 6}, cat[0].shape());
        assertEquals(4.0, cat[0].getDouble(5), 0);
        assertEquals(1 + 2 * 0.5, cat[1].getDouble(0), 1e-6);

        Tensor st = eval((ops, in) -> ops.stack(List.of(in[0], ops.mul(in[0], ops.scalar(2f))), 1), true)[0];
        assertArrayEquals(new int[] {2, 2, 3}, st.shape());
        assertEquals(-2.0, st.getDouble(4), 0);

        assertArrayEquals(new int[] {6, 1}, eval((ops, in) -> ops.reshape(in[0], -1, 1), true)[0].shape());
    }

    @Test
    void gatherPicksRowsAndSumsGradientsOfRepeatedIds() {
        // table rows: x0, x1, 10*x0; ids {2, 0, 1, 2}
        Tensor[] r = eval(
                (ops, in) -> ops.gather(
                        ops.concat(List.of(in[0], ops.mul(ops.slice(in[0], 0, 0, 1), ops.scalar(10f))), 0), in[1]),
                true);
        assertArrayEquals(new int[] {2, 2, 3}, r[0].shape());
        assertEquals(10 * X[0], r[0].getDouble(0), 1e-6);
        assertEquals(X[0], r[0].getDouble(3), 0);
        // d/dx row 0 = 1 (id 0 once) + 10 * 2 (id 2 twice); row 1 = 1 (id 1 once)
        assertValues(new double[] {21, 21, 21, 1, 1, 1}, new int[] {2, 3}, r[1]);
    }

    @Test
    void intOpsGiveFloats() {
        Tensor oh = eval((ops, in) -> ops.oneHot(in[1], 3), false)[0];
        assertArrayEquals(new int[] {2, 2, 3}, oh.shape());
        assertEquals(DType.FLOAT32, oh.dtype());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1}, oh.toFloatArray());
        Tensor nz = eval((ops, in) -> ops.notEqualZero(in[1]), false)[0];
        assertArrayEquals(new float[] {1, 0, 1, 1}, nz.toFloatArray());
    }

    @Test
    void wrongDtypesAreRejectedWithTheOpName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> eval((ops, in) -> ops.matmul(in[1], in[0]), false));
        assertTrue(e.getMessage().startsWith("matmul takes float32 values, got TInt32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> eval((ops, in) -> ops.oneHot(in[0], 3), false));
        assertTrue(e.getMessage().startsWith("oneHot takes int32 ids, got TFloat32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> eval((ops, in) -> ops.slice(in[0], 2, 0, 1), false));
        assertEquals("slice axis 2 is out of range for rank 2", e.getMessage());
    }

    /** x = [[0.5, -1, 2], [-0.25, 3, 1.5]]; the gradient of sum(f(x)) by hand. */
    @Test
    void maxPadNotEqualAndConstantHaveTheirValuesAndGradients() {
        Tensor[] max = eval((ops, in) -> ops.max(in[0], -1, false), true);
        assertValues(new double[] {2, 3}, new int[] {2}, max[0]);
        assertValues(new double[] {0, 0, 1, 0, 1, 0}, new int[] {2, 3}, max[1]);
        Tensor[] pad = eval((ops, in) -> ops.mul(ops.pad(in[0], 1, 1, 2, -7f), ops.scalar(3f)), true);
        assertValues(new double[] {-21, 1.5, -3, 6, -21, -21, -21, -0.75, 9, 4.5, -21, -21}, new int[] {2, 6}, pad[0]);
        assertValues(new double[] {3, 3, 3, 3, 3, 3}, new int[] {2, 3}, pad[1]);
        // x * (x != 2) * [1, 2, 3]: the mask and the constant are constants for the gradient.
        Tensor[] masked = eval(
                (ops, in) -> ops.mul(ops.mul(in[0], ops.notEqual(in[0], 2f)), ops.constant(new float[] {1, 2, 3}, 3)),
                true);
        assertValues(new double[] {0.5, -2, 0, -0.25, 6, 4.5}, new int[] {2, 3}, masked[0]);
        assertValues(new double[] {1, 2, 0, 1, 2, 3}, new int[] {2, 3}, masked[1]);
    }
}
