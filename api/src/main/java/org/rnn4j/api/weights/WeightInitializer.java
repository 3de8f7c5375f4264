package org.rnn4j.api.weights;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.api.layers.Initializer;
import org.rnn4j.api.model.WeightSpec;

/**
 * Draws initial weights from a seed with Keras's formulas, in the api, so every backend starts
 * from the same numbers. Each weight has its own stream ({@code seed} mixed with the weight name):
 * adding a layer does not change the draws of the others.
 */
public final class WeightInitializer {
    private WeightInitializer() {}

    /** Fills every weight of {@code store} from {@code seed}. */
    public static void initialize(WeightStore store, long seed) {
        for (WeightSpec w : store.specs()) {
            float[] values = draw(w, seed);
            System.arraycopy(values, 0, store.array(w.name()), 0, values.length);
        }
        store.touch();
    }

    /** The initial values of one weight. */
    public static float[] draw(WeightSpec w, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ fnv1a(w.name()));
        int[] shape = w.shapeArray();
        int n = Math.toIntExact(w.size());
        float[] out = new float[n];
        Initializer init = w.initializer();
        if (init instanceof Initializer.Zeros) {
            // already zero
        } else if (init instanceof Initializer.Ones) {
            java.util.Arrays.fill(out, 1f);
        } else if (init instanceof Initializer.Constant c) {
            java.util.Arrays.fill(out, (float) c.value());
        } else if (init instanceof Initializer.RandomUniform u) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) (u.minval() + (u.maxval() - u.minval()) * rng.nextDouble());
            }
        } else if (init instanceof Initializer.RandomNormal g) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) (g.mean() + g.stddev() * gaussian(rng));
            }
        } else if (init instanceof Initializer.TruncatedNormal t) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) (t.mean() + t.stddev() * truncatedGaussian(rng));
            }
        } else if (init instanceof Initializer.VarianceScaling v) {
            varianceScaling(v, shape, rng, out);
        } else if (init instanceof Initializer.Orthogonal o) {
            orthogonal(o.gain(), shape, rng, out);
        }
        if (w.forgetBiasUnits() > 0) {
            // unit_forget_bias: the forget block (second of i, f, c, o) starts at 1.
            int u = w.forgetBiasUnits();
            for (int i = u; i < 2 * u; i++) {
                out[i] = 1f;
            }
        }
        return out;
    }

    private static void varianceScaling(Initializer.VarianceScaling v, int[] shape, SplittableRandom rng, float[] out) {
        double fanIn;
        double fanOut;
        if (shape.length == 1) {
            fanIn = shape[0];
            fanOut = shape[0];
        } else {
            long receptive = 1;
            for (int i = 0; i < shape.length - 2; i++) {
                receptive *= shape[i];
            }
            fanIn = (double) shape[shape.length - 2] * receptive;
            fanOut = (double) shape[shape.length - 1] * receptive;
        }
        double fan = switch (v.mode()) {
            case FAN_IN -> fanIn;
            case FAN_OUT -> fanOut;
            case FAN_AVG -> (fanIn + fanOut) / 2;
        };
        double variance = v.scale() / Math.max(1, fan);
        switch (v.distribution()) {
            case UNIFORM -> {
                double limit = Math.sqrt(3 * variance);
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
                }
            }
            case TRUNCATED_NORMAL -> {
                // Keras divides by the std of a standard normal truncated to [-2, 2].
                double std = Math.sqrt(variance) / 0.8796256610342398;
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (truncatedGaussian(rng) * std);
                }
            }
            case UNTRUNCATED_NORMAL -> {
                double std = Math.sqrt(variance);
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (gaussian(rng) * std);
                }
            }
        }
    }

    /** Keras's orthogonal: QR of a normal matrix, signs fixed by R's diagonal, transposed when wide. */
    private static void orthogonal(double gain, int[] shape, SplittableRandom rng, float[] out) {
        int cols = shape[shape.length - 1];
        int rows = out.length / cols;
        int big = Math.max(rows, cols);
        int small = Math.min(rows, cols);
        double[][] a = new double[small][big]; // column vectors of a big x small matrix
        for (int j = 0; j < small; j++) {
            for (int i = 0; i < big; i++) {
                a[j][i] = gaussian(rng);
            }
        }
        // Modified Gram-Schmidt: Q's columns with R's diagonal positive, which is what the sign fix yields.
        for (int j = 0; j < small; j++) {
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < big; i++) {
                    dot += a[p][i] * a[j][i];
                }
                for (int i = 0; i < big; i++) {
                    a[j][i] -= dot * a[p][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < big; i++) {
                norm += a[j][i] * a[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < big; i++) {
                a[j][i] /= norm;
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // rows >= cols: Q is rows x cols; else Q^T (rows x cols) from a cols x rows Q.
                double q = rows >= cols ? a[c][r] : a[r][c];
                out[r * cols + c] = (float) (gain * q);
            }
        }
    }

    /** A standard normal draw, redrawn until it lies within two deviations (Keras's truncated normal). */
    private static double truncatedGaussian(SplittableRandom rng) {
        double g;
        do {
            g = gaussian(rng);
        } while (Math.abs(g) > 2);
        return g;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller from the splittable stream (java.util.Random#nextGaussian is not splittable).
        double u1;
        do {
            u1 = rng.nextDouble();
        } while (u1 <= 0);
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** Every weight spec of a list, drawn: handy for tests. */
    public static WeightStore initialized(List<WeightSpec> weights, long seed) {
        WeightStore store = new WeightStore(weights);
        initialize(store, seed);
        return store;
    }
}
