package org.rnn4j.api.layers;

/**
 * A layer's Keras regularizers and constraints ({@code kernel_regularizer}, ...,
 * {@code bias_constraint}); null where none. Weight regularizers add their penalty to the training
 * loss, the activity regularizer a penalty on the layer's output (divided by the batch size, as
 * Keras 3); constraints are applied after each optimizer update. An Embedding's
 * {@code embeddings_regularizer} / {@code embeddings_constraint} are its kernel's.
 */
public record WeightRules(
        Regularizer kernelRegularizer,
        Regularizer recurrentRegularizer,
        Regularizer biasRegularizer,
        Regularizer activityRegularizer,
        Constraint kernelConstraint,
        Constraint recurrentConstraint,
        Constraint biasConstraint) {

    /** No regularizer, no constraint. */
    public static final WeightRules NONE = new WeightRules(null, null, null, null, null, null, null);

    public boolean isNone() {
        return equals(NONE);
    }

    public WeightRules withKernelRegularizer(Regularizer r) {
        return new WeightRules(
                r,
                recurrentRegularizer,
                biasRegularizer,
                activityRegularizer,
                kernelConstraint,
                recurrentConstraint,
                biasConstraint);
    }

    public WeightRules withRecurrentRegularizer(Regularizer r) {
        return new WeightRules(
                kernelRegularizer,
                r,
                biasRegularizer,
                activityRegularizer,
                kernelConstraint,
                recurrentConstraint,
                biasConstraint);
    }

    public WeightRules withBiasRegularizer(Regularizer r) {
        return new WeightRules(
                kernelRegularizer,
                recurrentRegularizer,
                r,
                activityRegularizer,
                kernelConstraint,
                recurrentConstraint,
                biasConstraint);
    }

    public WeightRules withActivityRegularizer(Regularizer r) {
        return new WeightRules(
                kernelRegularizer,
                recurrentRegularizer,
                biasRegularizer,
                r,
                kernelConstraint,
                recurrentConstraint,
                biasConstraint);
    }

    public WeightRules withKernelConstraint(Constraint c) {
        return new WeightRules(
                kernelRegularizer,
                recurrentRegularizer,
                biasRegularizer,
                activityRegularizer,
                c,
                recurrentConstraint,
                biasConstraint);
    }

    public WeightRules withRecurrentConstraint(Constraint c) {
        return new WeightRules(
                kernelRegularizer,
                recurrentRegularizer,
                biasRegularizer,
                activityRegularizer,
                kernelConstraint,
                c,
                biasConstraint);
    }

    public WeightRules withBiasConstraint(Constraint c) {
        return new WeightRules(
                kernelRegularizer,
                recurrentRegularizer,
                biasRegularizer,
                activityRegularizer,
                kernelConstraint,
                recurrentConstraint,
                c);
    }

    /** Refuses recurrent rules on a layer without a recurrent kernel. */
    void requireNoRecurrent(String layer) {
        if (recurrentRegularizer != null || recurrentConstraint != null) {
            throw new IllegalArgumentException(
                    layer + " has no recurrent kernel, so recurrent_regularizer / recurrent_constraint do not apply");
        }
    }
}
