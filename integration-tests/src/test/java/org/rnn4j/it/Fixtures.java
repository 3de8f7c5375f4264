package org.rnn4j.it;

import java.util.SplittableRandom;
import org.rnn4j.api.tensor.Tensor;

/** Small seeded data for end-to-end tests. */
final class Fixtures {
    private Fixtures() {}

    /** {@code [n, steps, features]} values in [-1, 1). */
    static Tensor floats(long seed, int... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[(int) Tensor.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return Tensor.wrap(v, shape);
    }

    /** Sine windows and their next value: a learnable toy series. */
    static Tensor[] sineWindows(int n, int window) {
        float[] x = new float[n * window];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < window; t++) {
                x[i * window + t] = (float) Math.sin(0.3 * (i + t));
            }
            y[i] = (float) Math.sin(0.3 * (i + window));
        }
        return new Tensor[] {Tensor.wrap(x, n, window, 1), Tensor.wrap(y, n, 1)};
    }

    /** The classpath of the test JVM, for child JVMs. */
    static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }
}
