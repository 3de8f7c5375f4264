package org.rnn4j.bench.tf;

import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * The TensorFlow matmul peak: an {@code n x n} by {@code n x n} float matmul of two constants,
 * run as a target (the product is not copied out), with the baseline's session settings.
 */
public final class TfMatmul {
    private TfMatmul() {}

    /** Seconds of each of {@code repeats} runs, after one untimed run. */
    public static double[] seconds(int n, int repeats) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            MatMul<TFloat32> product = tf.linalg.matMul(constant(tf, n, 1), constant(tf, n, 2));
            try (Session s = new Session(g, TfBaselineConfig.config())) {
                s.runner().addTarget(product).run().close();
                double[] out = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long start = System.nanoTime();
                    s.runner().addTarget(product).run().close();
                    out[r] = (System.nanoTime() - start) / 1e9;
                }
                return out;
            }
        }
    }

    private static org.tensorflow.op.core.Constant<TFloat32> constant(Ops tf, int n, long seed) {
        float[] v = new float[n * n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextDouble() - 0.5);
        }
        return tf.constant(Shape.of(n, n), DataBuffers.of(v));
    }
}
