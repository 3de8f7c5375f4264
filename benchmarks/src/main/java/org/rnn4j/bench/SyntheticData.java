package org.rnn4j.bench;

import java.util.SplittableRandom;
import org.rnn4j.api.tensor.Tensor;

/**
 * The data every implementation trains on, drawn from a fixed seed so each run and each
 * implementation sees the same numbers, and made before timing starts so no file IO is in the
 * loop. Batch-major: windows {@code x [n, steps, 1]}, {@code y [n, 1]}; token ids {@code x [n,
 * steps]}, next-id targets {@code y [n, steps]}.
 *
 * <p>Windows are pieces of a seeded random walk (scaled to about unit variance) and the target is
 * the step after the window, so the models have something to learn; token ids are uniform over
 * the vocabulary and the target is the next id of the same stream.
 */
public record SyntheticData(Tensor x, Tensor y, Workload.Sizes sizes) {
    public static final long SEED = 20240601L;
    /** The batch of workload P's throughput case. */
    public static final int PREDICT_BATCH = 1024;

    /** {@code samples} windows of {@code steps} points and their next point. */
    public static SyntheticData windows(Workload.Sizes sizes) {
        int n = sizes.samplesPerEpoch();
        int t = sizes.steps();
        float[] x = new float[n * t];
        float[] y = new float[n];
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int i = 0; i < n; i++) {
            double level = rng.nextGaussian();
            for (int k = 0; k < t; k++) {
                level = 0.9 * level + 0.3 * rng.nextGaussian();
                x[i * t + k] = (float) level;
            }
            y[i] = (float) (0.9 * level + 0.3 * rng.nextGaussian());
        }
        return new SyntheticData(Tensor.wrap(x, n, t, 1), Tensor.wrap(y, n, 1), sizes);
    }

    /** Sequences of {@code steps} token ids below {@code vocab} and, per step, the next id. */
    public static SyntheticData tokens(Workload.Sizes sizes) {
        int n = sizes.samplesPerEpoch();
        int t = sizes.steps();
        int[] x = new int[n * t];
        int[] y = new int[n * t];
        SplittableRandom rng = new SplittableRandom(SEED + 1);
        for (int i = 0; i < n; i++) {
            int next = rng.nextInt(sizes.vocab());
            for (int k = 0; k < t; k++) {
                x[i * t + k] = next;
                next = rng.nextInt(sizes.vocab());
                y[i * t + k] = next;
            }
        }
        return new SyntheticData(Tensor.wrapInts(x, n, t), Tensor.wrapInts(y, n, t), sizes);
    }

    /** The data of a training workload. */
    public static SyntheticData of(Workload w, boolean small) {
        Workload.Sizes s = w.sizes(small);
        return w == Workload.W2 ? tokens(s) : windows(s);
    }

    /** {@code count} windows of W1b's shape for inference, from another seed. */
    public static Tensor predictWindows(int count, int steps) {
        float[] x = new float[count * steps];
        SplittableRandom rng = new SplittableRandom(SEED + 2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return Tensor.wrap(x, count, steps, 1);
    }

    /** One context of {@code steps} token ids for next-character inference. */
    public static Tensor predictContext(int steps, int vocab) {
        int[] ids = new int[steps];
        SplittableRandom rng = new SplittableRandom(SEED + 3);
        for (int i = 0; i < steps; i++) {
            ids[i] = rng.nextInt(vocab);
        }
        return Tensor.wrapInts(ids, 1, steps);
    }
}
