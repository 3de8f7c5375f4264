package org.rnn4j.api.layers;

/**
 * How a weight's initial values are drawn (Keras initializer semantics). Draws happen in the api
 * from the model seed ({@code org.rnn4j.api.weights.WeightInitializer}), never in an engine, so
 * every backend starts from the same numbers.
 */
public sealed interface Initializer {

    /** All zeros. */
    record Zeros() implements Initializer {}

    /** All ones. */
    record Ones() implements Initializer {}

    /** A constant. */
    record Constant(double value) implements Initializer {
        public Constant {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("constant initializer value must be finite, got " + value);
            }
        }
    }

    /** Uniform in {@code [minval, maxval)}. */
    record RandomUniform(double minval, double maxval) implements Initializer {
        public RandomUniform {
            if (!(minval < maxval)) {
                throw new IllegalArgumentException(
                        "random_uniform needs minval < maxval, got " + minval + " and " + maxval);
            }
        }
    }

    /** Normal with the given mean and standard deviation. */
    record RandomNormal(double mean, double stddev) implements Initializer {
        public RandomNormal {
            if (!(stddev > 0)) {
                throw new IllegalArgumentException("random_normal stddev must be > 0, got " + stddev);
            }
        }
    }

    /** Keras's TruncatedNormal: normal with the given mean and standard deviation, draws beyond two deviations redrawn. */
    record TruncatedNormal(double mean, double stddev) implements Initializer {
        public TruncatedNormal {
            if (!(stddev > 0) || !Double.isFinite(stddev) || !Double.isFinite(mean)) {
                throw new IllegalArgumentException(
                        "truncated_normal needs a finite mean and a stddev > 0, got " + mean + " and " + stddev);
            }
        }
    }

    /** Keras's VarianceScaling; glorot_uniform is (1, FAN_AVG, UNIFORM), glorot_normal (1, FAN_AVG, TRUNCATED_NORMAL). */
    record VarianceScaling(double scale, FanMode mode, Distribution distribution) implements Initializer {
        public VarianceScaling {
            if (!(scale > 0)) {
                throw new IllegalArgumentException("variance_scaling scale must be > 0, got " + scale);
            }
            if (mode == null || distribution == null) {
                throw new IllegalArgumentException("variance_scaling needs a mode and a distribution");
            }
        }
    }

    /** An orthogonal matrix times {@code gain} (Keras's default recurrent kernel). */
    record Orthogonal(double gain) implements Initializer {
        public Orthogonal {
            if (!(gain > 0)) {
                throw new IllegalArgumentException("orthogonal gain must be > 0, got " + gain);
            }
        }
    }

    /** Which fan VarianceScaling divides by. */
    enum FanMode {
        FAN_IN,
        FAN_OUT,
        FAN_AVG
    }

    /** Which distribution VarianceScaling draws from. */
    enum Distribution {
        UNIFORM,
        TRUNCATED_NORMAL,
        UNTRUNCATED_NORMAL
    }

    static Initializer glorotUniform() {
        return new VarianceScaling(1.0, FanMode.FAN_AVG, Distribution.UNIFORM);
    }

    static Initializer glorotNormal() {
        return new VarianceScaling(1.0, FanMode.FAN_AVG, Distribution.TRUNCATED_NORMAL);
    }

    static Initializer orthogonal() {
        return new Orthogonal(1.0);
    }

    static Initializer zeros() {
        return new Zeros();
    }
}
