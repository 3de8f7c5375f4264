package org.rnn4j.api.compile;

import java.util.List;

/**
 * Keras 3's learning-rate schedules, given as an optimizer's {@code learning_rate}: the rate of
 * each update is the schedule at the optimizer's step count before that update (0 for the first),
 * computed in float32 in the op order of {@code keras.optimizers.schedules}.
 */
public sealed interface LearningRateSchedule {

    /** The learning rate of the update made at optimizer step {@code step} (0-based). */
    float at(long step);

    /** The rate at step 0: what the optimizer reports as its {@code learning_rate} number. */
    double initialLearningRate();

    /** The name in rnn4j spec files. */
    String jsonName();

    /** {@code initial * rate^(step / decaySteps)}, the exponent floored when {@code staircase}. */
    record ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate, boolean staircase)
            implements LearningRateSchedule {
        public ExponentialDecay {
            checkRate("exponential_decay.initial_learning_rate", initialLearningRate);
            checkSteps("exponential_decay.decay_steps", decaySteps);
            checkFinite("exponential_decay.decay_rate", decayRate);
        }

        @Override
        public float at(long step) {
            float p = (float) step / (float) decaySteps;
            if (staircase) {
                p = (float) Math.floor(p);
            }
            return (float) initialLearningRate * pow((float) decayRate, p);
        }

        @Override
        public String jsonName() {
            return "exponential_decay";
        }
    }

    /** {@code initial / (1 + rate * step / decaySteps)}, the quotient floored when {@code staircase}. */
    record InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate, boolean staircase)
            implements LearningRateSchedule {
        public InverseTimeDecay {
            checkRate("inverse_time_decay.initial_learning_rate", initialLearningRate);
            checkSteps("inverse_time_decay.decay_steps", decaySteps);
            checkFinite("inverse_time_decay.decay_rate", decayRate);
        }

        @Override
        public float at(long step) {
            float p = (float) step / (float) decaySteps;
            if (staircase) {
                p = (float) Math.floor(p);
            }
            return (float) initialLearningRate / (1f + (float) decayRate * p);
        }

        @Override
        public String jsonName() {
            return "inverse_time_decay";
        }
    }

    /**
     * {@code values[0]} while {@code step <= boundaries[0]}, {@code values[i]} while
     * {@code boundaries[i-1] < step <= boundaries[i]}, the last value after the last boundary.
     */
    record PiecewiseConstantDecay(List<Double> boundaries, List<Double> values) implements LearningRateSchedule {
        public PiecewiseConstantDecay {
            boundaries = List.copyOf(boundaries);
            values = List.copyOf(values);
            if (boundaries.isEmpty() || values.size() != boundaries.size() + 1) {
                throw new IllegalArgumentException("piecewise_constant_decay needs one more value than boundaries, got "
                        + boundaries.size() + " boundaries and " + values.size() + " values");
            }
            for (int i = 0; i < boundaries.size(); i++) {
                checkFinite("piecewise_constant_decay.boundaries[" + i + "]", boundaries.get(i));
                if (i > 0 && !(boundaries.get(i) > boundaries.get(i - 1))) {
                    throw new IllegalArgumentException(
                            "piecewise_constant_decay.boundaries must increase strictly, got " + boundaries);
                }
            }
            for (int i = 0; i < values.size(); i++) {
                checkRate("piecewise_constant_decay.values[" + i + "]", values.get(i));
            }
        }

        @Override
        public float at(long step) {
            for (int i = 0; i < boundaries.size(); i++) {
                if (step <= boundaries.get(i)) {
                    return values.get(i).floatValue();
                }
            }
            return values.get(values.size() - 1).floatValue();
        }

        @Override
        public double initialLearningRate() {
            for (int i = 0; i < boundaries.size(); i++) {
                if (0 <= boundaries.get(i)) {
                    return values.get(i);
                }
            }
            return values.get(values.size() - 1);
        }

        @Override
        public String jsonName() {
            return "piecewise_constant_decay";
        }
    }

    /**
     * {@code (initial - end) * (1 - step / decaySteps)^power + end} with the step held at
     * {@code decaySteps}; with {@code cycle}, {@code decaySteps} grows to the first multiple at or
     * above the step instead.
     */
    record PolynomialDecay(
            double initialLearningRate, double decaySteps, double endLearningRate, double power, boolean cycle)
            implements LearningRateSchedule {
        public PolynomialDecay {
            checkRate("polynomial_decay.initial_learning_rate", initialLearningRate);
            checkSteps("polynomial_decay.decay_steps", decaySteps);
            checkFinite("polynomial_decay.end_learning_rate", endLearningRate);
            checkFinite("polynomial_decay.power", power);
        }

        @Override
        public float at(long step) {
            float s = step;
            float steps = (float) decaySteps;
            if (cycle) {
                float multiplier = s == 0 ? 1f : (float) Math.ceil(s / (float) decaySteps);
                steps = steps * multiplier;
            } else {
                s = Math.min(s, steps);
            }
            float p = s / steps;
            return ((float) initialLearningRate - (float) endLearningRate) * pow(1f - p, (float) power)
                    + (float) endLearningRate;
        }

        @Override
        public String jsonName() {
            return "polynomial_decay";
        }
    }

    /**
     * Cosine decay from {@code initial} (or, with a warm-up, from {@code warmupTarget} after
     * {@code warmupSteps} of linear warm-up from {@code initial}) to {@code alpha} times that rate
     * over {@code decaySteps}, then constant.
     *
     * @param warmupTarget null for no warm-up
     */
    record CosineDecay(
            double initialLearningRate, double decaySteps, double alpha, Double warmupTarget, double warmupSteps)
            implements LearningRateSchedule {
        public CosineDecay {
            checkFinite("cosine_decay.initial_learning_rate", initialLearningRate);
            if (initialLearningRate < 0) {
                throw new IllegalArgumentException(
                        "cosine_decay.initial_learning_rate must be >= 0, got " + initialLearningRate);
            }
            checkSteps("cosine_decay.decay_steps", decaySteps);
            checkFinite("cosine_decay.alpha", alpha);
            if (warmupTarget != null) {
                checkRate("cosine_decay.warmup_target", warmupTarget);
            }
            if (!(warmupSteps >= 0) || !Double.isFinite(warmupSteps)) {
                throw new IllegalArgumentException("cosine_decay.warmup_steps must be >= 0, got " + warmupSteps);
            }
            if (warmupTarget == null && warmupSteps != 0) {
                throw new IllegalArgumentException(
                        "cosine_decay.warmup_steps is " + warmupSteps + " but there is no warmup_target to warm up to");
            }
        }

        @Override
        public float at(long step) {
            float s = step;
            float steps = (float) decaySteps;
            if (warmupTarget == null) {
                return decay(Math.min(s, steps), steps, (float) initialLearningRate);
            }
            float target = warmupTarget.floatValue();
            float warm = (float) warmupSteps;
            s = Math.min(s, steps + warm);
            if (s < warm) {
                float fraction = s / warm;
                float delta = target - (float) initialLearningRate;
                return delta * fraction + (float) initialLearningRate;
            }
            return decay(s - warm, steps, target);
        }

        private float decay(float s, float steps, float from) {
            float fraction = s / steps;
            float cosine = 0.5f * (1f + (float) Math.cos((float) Math.PI * fraction));
            float decayed = (float) (1 - alpha) * cosine + (float) alpha;
            return from * decayed;
        }

        @Override
        public String jsonName() {
            return "cosine_decay";
        }
    }

    private static float pow(float a, float b) {
        return (float) Math.pow(a, b);
    }

    private static void checkFinite(String field, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(field + " must be a finite number, got " + v);
        }
    }

    private static void checkRate(String field, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(field + " must be a finite number > 0, got " + v);
        }
    }

    private static void checkSteps(String field, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(field + " must be > 0, got " + v);
        }
    }
}
