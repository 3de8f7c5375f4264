package org.rnn4j.api.layers;

/**
 * The options every recurrent layer shares, with Keras 3 defaults ({@link #defaults()}).
 *
 * @param activation          the candidate/output activation ({@code tanh})
 * @param recurrentActivation the gate activation ({@code sigmoid}); unused by SimpleRNN
 * @param useBias             whether the layer has a bias
 * @param returnSequences     output {@code [batch, time, units]} instead of {@code [batch, units]}
 * @param goBackwards         process the sequence from the last step to the first; with
 *                            {@code returnSequences} the output stays in processing order, as in Keras
 * @param dropout             fraction of inputs dropped in training, one mask per sequence
 * @param recurrentDropout    fraction of the recurrent state dropped in training, one mask per sequence
 * @param unroll              Keras's {@code unroll}: the recurrence is built step by step for a fixed
 *                            number of steps, which needs a known time length (the values are the
 *                            same either way)
 * @param rules               regularizers and constraints of the kernel, recurrent kernel and bias,
 *                            and the activity regularizer
 */
public record RecurrentOptions(
        Activation activation,
        Activation recurrentActivation,
        boolean useBias,
        boolean returnSequences,
        boolean goBackwards,
        double dropout,
        double recurrentDropout,
        Initializer kernelInitializer,
        Initializer recurrentInitializer,
        Initializer biasInitializer,
        boolean unroll,
        WeightRules rules) {

    public RecurrentOptions {
        if (activation == null || recurrentActivation == null) {
            throw new IllegalArgumentException("recurrent layer activations must not be null");
        }
        if (activation == Activation.SOFTMAX || recurrentActivation == Activation.SOFTMAX) {
            throw new IllegalArgumentException("softmax is not an element-wise activation; use it on a Dense layer");
        }
        checkRate("dropout", dropout);
        checkRate("recurrent_dropout", recurrentDropout);
        if (kernelInitializer == null || recurrentInitializer == null || biasInitializer == null) {
            throw new IllegalArgumentException("recurrent layer initializers must not be null");
        }
        rules = rules == null ? WeightRules.NONE : rules;
        if (!useBias && (rules.biasRegularizer() != null || rules.biasConstraint() != null)) {
            throw new IllegalArgumentException("bias_regularizer / bias_constraint are set but use_bias is false");
        }
    }

    /** Options without unroll, regularizers or constraints. */
    public RecurrentOptions(
            Activation activation,
            Activation recurrentActivation,
            boolean useBias,
            boolean returnSequences,
            boolean goBackwards,
            double dropout,
            double recurrentDropout,
            Initializer kernelInitializer,
            Initializer recurrentInitializer,
            Initializer biasInitializer) {
        this(
                activation,
                recurrentActivation,
                useBias,
                returnSequences,
                goBackwards,
                dropout,
                recurrentDropout,
                kernelInitializer,
                recurrentInitializer,
                biasInitializer,
                false,
                WeightRules.NONE);
    }

    static void checkRate(String field, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), got " + rate);
        }
    }

    /** Keras 3 defaults: tanh, sigmoid, bias, last output only, forwards, no dropout, glorot_uniform / orthogonal / zeros. */
    public static RecurrentOptions defaults() {
        return new RecurrentOptions(
                Activation.TANH,
                Activation.SIGMOID,
                true,
                false,
                false,
                0,
                0,
                Initializer.glorotUniform(),
                Initializer.orthogonal(),
                Initializer.zeros());
    }

    public RecurrentOptions withActivation(Activation a) {
        return new RecurrentOptions(
                a,
                recurrentActivation,
                useBias,
                returnSequences,
                goBackwards,
                dropout,
                recurrentDropout,
                kernelInitializer,
                recurrentInitializer,
                biasInitializer,
                unroll,
                rules);
    }

    public RecurrentOptions withRecurrentActivation(Activation a) {
        return new RecurrentOptions(
                activation,
                a,
                useBias,
                returnSequences,
                goBackwards,
                dropout,
                recurrentDropout,
                kernelInitializer,
                recurrentInitializer,
                biasInitializer,
                unroll,
                rules);
    }

    public RecurrentOptions withUseBias(boolean b) {
        return new RecurrentOptions(
                activation,
                recurrentActivation,
                b,
                returnSequences,
                goBackwards,
                dropout,
                recurrentDropout,
                kernelInitializer,
                recurrentInitializer,
                biasInitializer,
                unroll,
                rules);
    }

    public RecurrentOptions withReturnSequences(boolean b) {
        return new RecurrentOptions(
                activation,
                recurrentActivation,
                useBias,
                b,
                goBackwards,
                dropout,
                recurrentDropout,
                kernelInitializer,
                recurrentInitializer,
                biasInitializer,
                unroll,
                rules);
    }

    public RecurrentOptions withGoBackwards(boolean b) {
        return new RecurrentOptions(
                activation,
                recurrentActivation,
                useBias,
                returnSequences,
                b,
                dropout,
                recurrentDropout,
                kernelInitializer,
                recurrentInitializer,
                biasInitializer,
                unroll,
                rules);
    }

    public RecurrentOptions withDropout(double rate) {
        return new RecurrentOptions(
                activation,
                recurrentActivation,
                useBias,
                returnSequences,
                goBackwards,
                rate,
                recurrentDropout,
                kernelInitializer,
                recurrentInitializer,
                biasInitializer,
                unroll,
                rules);
    }

    public RecurrentOptions withRecurrentDropout(double rate) {
        return new RecurrentOptions(
                activation,
                recurrentActivation,
                useBias,
                returnSequences,
                goBackwards,
                dropout,
                rate,
                kernelInitializer,
                recurrentInitializer,
                biasInitializer,
                unroll,
                rules);
    }

    public RecurrentOptions withUnroll(boolean b) {
        return new RecurrentOptions(
                activation,
                recurrentActivation,
                useBias,
                returnSequences,
                goBackwards,
                dropout,
                recurrentDropout,
                kernelInitializer,
                recurrentInitializer,
                biasInitializer,
                b,
                rules);
    }

    public RecurrentOptions withRules(WeightRules r) {
        return new RecurrentOptions(
                activation,
                recurrentActivation,
                useBias,
                returnSequences,
                goBackwards,
                dropout,
                recurrentDropout,
                kernelInitializer,
                recurrentInitializer,
                biasInitializer,
                unroll,
                r);
    }

    public RecurrentOptions withInitializers(Initializer kernel, Initializer recurrent, Initializer bias) {
        return new RecurrentOptions(
                activation,
                recurrentActivation,
                useBias,
                returnSequences,
                goBackwards,
                dropout,
                recurrentDropout,
                kernel,
                recurrent,
                bias,
                unroll,
                rules);
    }
}
