package org.rnn4j.api.compile;

import java.util.List;

/**
 * Keras 3's optimizers with their hyper-parameters and defaults. Updates run in the api
 * ({@code org.rnn4j.api.train.Optimizer}), identically for every backend, in float32 and in the op
 * order of each optimizer's {@code update_step}. Every optimizer also takes Keras's base options
 * ({@link Common}): a learning-rate schedule, gradient clipping and decoupled weight decay.
 */
public sealed interface OptimizerSpec {

    /** The constant learning rate, or the schedule's rate at step 0 when {@link Common#schedule()} is set. */
    double learningRate();

    /** The base options every Keras optimizer takes. */
    Common common();

    /** The name used in spec files. */
    String jsonName();

    /** The same optimizer with another learning rate and base options. */
    OptimizerSpec with(double learningRate, Common common);

    /** The same optimizer with its learning rate given by {@code schedule}. */
    default OptimizerSpec withSchedule(LearningRateSchedule schedule) {
        return with(schedule.initialLearningRate(), common().withSchedule(schedule));
    }

    default OptimizerSpec withCommon(Common c) {
        return with(learningRate(), c);
    }

    /**
     * Keras's base optimizer arguments; 0 means off, as Keras's {@code None}.
     *
     * @param schedule       the learning rate as a schedule, or null for the constant {@link #learningRate()}
     * @param clipnorm       each gradient is scaled down to at most this L2 norm
     * @param clipvalue      each gradient value is clipped to {@code [-clipvalue, clipvalue]}
     * @param globalClipnorm all gradients together are scaled down to at most this L2 norm
     * @param weightDecay    before each update {@code w -= w * weightDecay * lr} (decoupled, as Keras 3)
     */
    record Common(
            LearningRateSchedule schedule,
            double clipnorm,
            double clipvalue,
            double globalClipnorm,
            double weightDecay) {
        /** No schedule, clipping or weight decay. */
        public static final Common NONE = new Common(null, 0, 0, 0, 0);

        public Common {
            checkNonNegative("clipnorm", clipnorm);
            checkNonNegative("clipvalue", clipvalue);
            checkNonNegative("global_clipnorm", globalClipnorm);
            checkNonNegative("weight_decay", weightDecay);
            int clips = (clipnorm > 0 ? 1 : 0) + (clipvalue > 0 ? 1 : 0) + (globalClipnorm > 0 ? 1 : 0);
            if (clips > 1) {
                throw new IllegalArgumentException(
                        "only one of clipnorm, clipvalue and global_clipnorm can be set, got " + clipnorm + ", "
                                + clipvalue + " and " + globalClipnorm);
            }
        }

        public Common withSchedule(LearningRateSchedule s) {
            return new Common(s, clipnorm, clipvalue, globalClipnorm, weightDecay);
        }

        public Common withClipnorm(double v) {
            return new Common(schedule, v, clipvalue, globalClipnorm, weightDecay);
        }

        public Common withClipvalue(double v) {
            return new Common(schedule, clipnorm, v, globalClipnorm, weightDecay);
        }

        public Common withGlobalClipnorm(double v) {
            return new Common(schedule, clipnorm, clipvalue, v, weightDecay);
        }

        public Common withWeightDecay(double v) {
            return new Common(schedule, clipnorm, clipvalue, globalClipnorm, v);
        }

        /** Checks a learning rate against this schedule: the number must be the schedule's rate at step 0. */
        void check(String owner, double learningRate) {
            if (schedule == null) {
                checkLr(owner, learningRate);
            } else if (learningRate != schedule.initialLearningRate()) {
                throw new IllegalArgumentException(owner + ".learning_rate is " + learningRate + " but its schedule "
                        + schedule.jsonName() + " starts at " + schedule.initialLearningRate());
            }
        }

        private static void checkNonNegative(String field, double v) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(field + " must be a finite number >= 0 (0 = off), got " + v);
            }
        }
    }

    /**
     * Keras SGD: {@code w -= lr*g}; with momentum {@code m = momentum*m - lr*g; w += m} (nesterov:
     * {@code w += momentum*m - lr*g}). Defaults lr 0.01, no momentum.
     */
    record Sgd(double learningRate, double momentum, boolean nesterov, Common common) implements OptimizerSpec {
        public Sgd {
            common = common == null ? Common.NONE : common;
            common.check("sgd", learningRate);
            checkUnit("sgd.momentum", momentum);
        }

        public Sgd(double learningRate, double momentum, boolean nesterov) {
            this(learningRate, momentum, nesterov, Common.NONE);
        }

        public Sgd() {
            this(0.01, 0, false);
        }

        @Override
        public Sgd with(double lr, Common c) {
            return new Sgd(lr, momentum, nesterov, c);
        }

        @Override
        public String jsonName() {
            return "sgd";
        }
    }

    /**
     * Keras Adam (epsilon-hat form, as Keras 2/3, TensorFlow's ApplyAdam and DL4J):
     * {@code alpha = lr*sqrt(1-b2^t)/(1-b1^t); m += (g-m)(1-b1); v += (g^2-v)(1-b2); w -= alpha*m/(sqrt(v)+eps)};
     * with {@code amsgrad} the running maximum of {@code v} stands in for {@code v}.
     */
    record Adam(double learningRate, double beta1, double beta2, double epsilon, boolean amsgrad, Common common)
            implements OptimizerSpec {
        public Adam {
            common = common == null ? Common.NONE : common;
            common.check("adam", learningRate);
            checkBetas("adam", beta1, beta2, epsilon);
        }

        public Adam(double learningRate, double beta1, double beta2, double epsilon) {
            this(learningRate, beta1, beta2, epsilon, false, Common.NONE);
        }

        public Adam() {
            this(0.001, 0.9, 0.999, 1e-7);
        }

        public Adam(double learningRate) {
            this(learningRate, 0.9, 0.999, 1e-7);
        }

        public Adam withAmsgrad(boolean a) {
            return new Adam(learningRate, beta1, beta2, epsilon, a, common);
        }

        @Override
        public Adam with(double lr, Common c) {
            return new Adam(lr, beta1, beta2, epsilon, amsgrad, c);
        }

        @Override
        public String jsonName() {
            return "adam";
        }
    }

    /**
     * Keras AdamW: Adam with decoupled weight decay ({@code w -= w * weight_decay * lr} before
     * each Adam update), weight_decay 0.004 by default.
     */
    record AdamW(double learningRate, double beta1, double beta2, double epsilon, boolean amsgrad, Common common)
            implements OptimizerSpec {
        public AdamW {
            common = common == null ? Common.NONE.withWeightDecay(0.004) : common;
            common.check("adamw", learningRate);
            checkBetas("adamw", beta1, beta2, epsilon);
        }

        public AdamW() {
            this(0.001, 0.9, 0.999, 1e-7, false, Common.NONE.withWeightDecay(0.004));
        }

        @Override
        public AdamW with(double lr, Common c) {
            return new AdamW(lr, beta1, beta2, epsilon, amsgrad, c);
        }

        @Override
        public String jsonName() {
            return "adamw";
        }
    }

    /**
     * Keras Nadam (Adam with Nesterov momentum and Keras's momentum schedule
     * {@code u_t = b1 * (1 - 0.5 * 0.96^t)}).
     */
    record Nadam(double learningRate, double beta1, double beta2, double epsilon, Common common)
            implements OptimizerSpec {
        public Nadam {
            common = common == null ? Common.NONE : common;
            common.check("nadam", learningRate);
            checkBetas("nadam", beta1, beta2, epsilon);
        }

        public Nadam() {
            this(0.001, 0.9, 0.999, 1e-7, Common.NONE);
        }

        @Override
        public Nadam with(double lr, Common c) {
            return new Nadam(lr, beta1, beta2, epsilon, c);
        }

        @Override
        public String jsonName() {
            return "nadam";
        }
    }

    /** Keras Adagrad: {@code acc += g^2; w -= lr*g/sqrt(acc + eps)}, the accumulator starting at 0.1. */
    record Adagrad(double learningRate, double initialAccumulatorValue, double epsilon, Common common)
            implements OptimizerSpec {
        public Adagrad {
            common = common == null ? Common.NONE : common;
            common.check("adagrad", learningRate);
            if (!(initialAccumulatorValue >= 0) || !Double.isFinite(initialAccumulatorValue)) {
                throw new IllegalArgumentException(
                        "adagrad.initial_accumulator_value must be >= 0, got " + initialAccumulatorValue);
            }
            checkEpsilon("adagrad", epsilon);
        }

        public Adagrad() {
            this(0.001, 0.1, 1e-7, Common.NONE);
        }

        @Override
        public Adagrad with(double lr, Common c) {
            return new Adagrad(lr, initialAccumulatorValue, epsilon, c);
        }

        @Override
        public String jsonName() {
            return "adagrad";
        }
    }

    /** Keras Adamax: {@code m += (g-m)(1-b1); u = max(b2*u, |g|); w -= lr*m/((1-b1^t)(u+eps))}. */
    record Adamax(double learningRate, double beta1, double beta2, double epsilon, Common common)
            implements OptimizerSpec {
        public Adamax {
            common = common == null ? Common.NONE : common;
            common.check("adamax", learningRate);
            checkBetas("adamax", beta1, beta2, epsilon);
        }

        public Adamax() {
            this(0.001, 0.9, 0.999, 1e-7, Common.NONE);
        }

        @Override
        public Adamax with(double lr, Common c) {
            return new Adamax(lr, beta1, beta2, epsilon, c);
        }

        @Override
        public String jsonName() {
            return "adamax";
        }
    }

    /**
     * Keras 3 RMSprop: {@code v = rho*v + (1-rho)g^2; w -= lr*g/sqrt(v+eps)}, optional momentum;
     * {@code centered} also tracks the mean gradient {@code mg} and divides by
     * {@code sqrt(v - mg^2 + eps)}.
     */
    record RmsProp(double learningRate, double rho, double momentum, double epsilon, boolean centered, Common common)
            implements OptimizerSpec {
        public RmsProp {
            common = common == null ? Common.NONE : common;
            common.check("rmsprop", learningRate);
            checkUnit("rmsprop.rho", rho);
            checkUnit("rmsprop.momentum", momentum);
            checkEpsilon("rmsprop", epsilon);
        }

        public RmsProp(double learningRate, double rho, double momentum, double epsilon) {
            this(learningRate, rho, momentum, epsilon, false, Common.NONE);
        }

        public RmsProp() {
            this(0.001, 0.9, 0, 1e-7);
        }

        public RmsProp withCentered(boolean c) {
            return new RmsProp(learningRate, rho, momentum, epsilon, c, common);
        }

        @Override
        public RmsProp with(double lr, Common c) {
            return new RmsProp(lr, rho, momentum, epsilon, centered, c);
        }

        @Override
        public String jsonName() {
            return "rmsprop";
        }
    }

    /** The spec-file names of every optimizer. */
    List<String> NAMES = List.of("sgd", "adam", "adamw", "nadam", "adagrad", "adamax", "rmsprop");

    private static void checkLr(String owner, double lr) {
        if (!(lr > 0 && Double.isFinite(lr))) {
            throw new IllegalArgumentException(owner + ".learning_rate must be a finite number > 0, got " + lr);
        }
    }

    private static void checkUnit(String field, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), got " + v);
        }
    }

    private static void checkBetas(String owner, double beta1, double beta2, double epsilon) {
        checkUnit(owner + ".beta_1", beta1);
        checkUnit(owner + ".beta_2", beta2);
        checkEpsilon(owner, epsilon);
    }

    private static void checkEpsilon(String owner, double epsilon) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException(owner + ".epsilon must be > 0, got " + epsilon);
        }
    }
}
