package org.rnn4j.api.compile;

/** Optimizers with Keras's hyper-parameters and defaults. Updates run in the api, identically for every backend. */
public sealed interface OptimizerSpec {

    double learningRate();

    /** The name used in spec files. */
    String jsonName();

    /** Keras SGD: {@code v = momentum*v - lr*g; w += v} (nesterov: {@code w += momentum*v - lr*g}). Defaults lr 0.01. */
    record Sgd(double learningRate, double momentum, boolean nesterov) implements OptimizerSpec {
        public Sgd {
            checkLr(learningRate);
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("sgd.momentum must be in [0, 1), got " + momentum);
            }
        }

        public Sgd() {
            this(0.01, 0, false);
        }

        @Override
        public String jsonName() {
            return "sgd";
        }
    }

    /**
     * Keras Adam (epsilon-hat form, as Keras 2/3, TensorFlow's ApplyAdam and DL4J):
     * {@code alpha = lr*sqrt(1-b2^t)/(1-b1^t); m += (g-m)(1-b1); v += (g^2-v)(1-b2); w -= alpha*m/(sqrt(v)+eps)}.
     */
    record Adam(double learningRate, double beta1, double beta2, double epsilon) implements OptimizerSpec {
        public Adam {
            checkLr(learningRate);
            if (!(beta1 >= 0 && beta1 < 1)) {
                throw new IllegalArgumentException("adam.beta_1 must be in [0, 1), got " + beta1);
            }
            if (!(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("adam.beta_2 must be in [0, 1), got " + beta2);
            }
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("adam.epsilon must be > 0, got " + epsilon);
            }
        }

        public Adam() {
            this(0.001, 0.9, 0.999, 1e-7);
        }

        public Adam(double learningRate) {
            this(learningRate, 0.9, 0.999, 1e-7);
        }

        @Override
        public String jsonName() {
            return "adam";
        }
    }

    /** Keras 3 RMSprop (not centered): {@code v = rho*v + (1-rho)g^2; w -= lr*g/sqrt(v+eps)}, optional momentum. */
    record RmsProp(double learningRate, double rho, double momentum, double epsilon) implements OptimizerSpec {
        public RmsProp {
            checkLr(learningRate);
            if (!(rho >= 0 && rho < 1)) {
                throw new IllegalArgumentException("rmsprop.rho must be in [0, 1), got " + rho);
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("rmsprop.momentum must be in [0, 1), got " + momentum);
            }
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("rmsprop.epsilon must be > 0, got " + epsilon);
            }
        }

        public RmsProp() {
            this(0.001, 0.9, 0, 1e-7);
        }

        @Override
        public String jsonName() {
            return "rmsprop";
        }
    }

    private static void checkLr(double lr) {
        if (!(lr > 0 && Double.isFinite(lr))) {
            throw new IllegalArgumentException("learning_rate must be a finite number > 0, got " + lr);
        }
    }
}
