package org.rnn4j.data.sampling;

import java.util.random.RandomGenerator;

/**
 * Samples an index from a probability vector with a temperature, as the Keras char-rnn example:
 * weights {@code exp(log(p) / T)}, normalised, then one draw. {@code T = 1} samples from
 * {@code p} itself, {@code T < 1} sharpens, {@code T > 1} flattens, and {@code T = 0} is argmax
 * (the first index among equal maxima). The log-probabilities are shifted by their maximum before
 * exponentiating, so a temperature near 0 converges to argmax instead of overflowing.
 *
 * <p>The generator is passed in ({@link java.util.SplittableRandom}, {@link java.util.Random}, ...),
 * so a run seeded the same way draws the same indices.
 *
 * @param temperature finite, &gt;= 0
 */
public record TemperatureSampler(double temperature) {
    public TemperatureSampler {
        if (!Double.isFinite(temperature) || temperature < 0) {
            throw new IllegalArgumentException(
                    "sampling temperature must be finite and >= 0 (0 = argmax), got " + temperature);
        }
    }

    /** A sampler that always picks the most probable index. */
    public static TemperatureSampler greedy() {
        return new TemperatureSampler(0);
    }

    /**
     * Draws an index in {@code [0, probabilities.length)}.
     *
     * @param probabilities non-negative, finite, not all zero; need not sum to 1 (e.g. float32 softmax output)
     */
    public int sample(double[] probabilities, RandomGenerator random) {
        int best = argmax(probabilities);
        if (temperature == 0) {
            return best;
        }
        double maxLog = Math.log(probabilities[best]);
        double[] weights = new double[probabilities.length];
        double total = 0;
        for (int i = 0; i < probabilities.length; i++) {
            // log(0) = -infinity gives weight 0: an impossible index stays impossible at any temperature.
            weights[i] = Math.exp((Math.log(probabilities[i]) - maxLog) / temperature);
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        int lastPossible = best;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                cumulative += weights[i];
                lastPossible = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        // Rounding can leave u a hair above the accumulated total; the last possible index owns that sliver.
        return lastPossible;
    }

    /** As {@link #sample(double[], RandomGenerator)} for a float32 model output. */
    public int sample(float[] probabilities, RandomGenerator random) {
        double[] p = new double[probabilities.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = probabilities[i];
        }
        return sample(p, random);
    }

    /** The index of the largest probability, the first one among equal maxima; checks the vector. */
    public static int argmax(double[] probabilities) {
        if (probabilities.length == 0) {
            throw new IllegalArgumentException("cannot sample from an empty probability vector");
        }
        int best = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double p = probabilities[i];
            if (!Double.isFinite(p) || p < 0) {
                throw new IllegalArgumentException("probability at index " + i + " is " + p
                        + "; probabilities must be finite and >= 0 (did the model diverge?)");
            }
            if (p > probabilities[best]) {
                best = i;
            }
        }
        if (probabilities[best] == 0) {
            throw new IllegalArgumentException(
                    "all " + probabilities.length + " probabilities are 0; nothing to sample");
        }
        return best;
    }
}
