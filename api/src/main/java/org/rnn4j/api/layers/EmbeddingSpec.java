package org.rnn4j.api.layers;

/**
 * Keras {@code Embedding}: int ids {@code [batch, time]} to {@code [batch, time, outputDim]}.
 *
 * @param maskZero id 0 is padding: downstream recurrent layers keep their previous state and
 *                 output on those steps, as Keras does
 * @param rules    {@code embeddings_regularizer} / {@code embeddings_constraint} as the kernel's, and
 *                 the activity regularizer
 */
public record EmbeddingSpec(
        String name,
        int inputDim,
        int outputDim,
        boolean maskZero,
        Initializer embeddingsInitializer,
        WeightRules rules)
        implements LayerSpec {
    public EmbeddingSpec {
        LayerSpec.checkName(name);
        LayerSpec.checkPositive("embedding.input_dim", inputDim);
        LayerSpec.checkPositive("embedding.output_dim", outputDim);
        if (embeddingsInitializer == null) {
            throw new IllegalArgumentException("embedding.embeddings_initializer must not be null");
        }
        rules = rules == null ? WeightRules.NONE : rules;
        rules.requireNoRecurrent("embedding");
        if (rules.biasRegularizer() != null || rules.biasConstraint() != null) {
            throw new IllegalArgumentException(
                    "embedding has no bias, so bias_regularizer / bias_constraint do not apply");
        }
    }

    /** An Embedding without regularizers or constraints. */
    public EmbeddingSpec(
            String name, int inputDim, int outputDim, boolean maskZero, Initializer embeddingsInitializer) {
        this(name, inputDim, outputDim, maskZero, embeddingsInitializer, WeightRules.NONE);
    }

    @Override
    public EmbeddingSpec withName(String n) {
        return new EmbeddingSpec(n, inputDim, outputDim, maskZero, embeddingsInitializer, rules);
    }

    public EmbeddingSpec maskZero(boolean value) {
        return new EmbeddingSpec(name, inputDim, outputDim, value, embeddingsInitializer, rules);
    }

    public EmbeddingSpec withRules(WeightRules r) {
        return new EmbeddingSpec(name, inputDim, outputDim, maskZero, embeddingsInitializer, r);
    }

    @Override
    public String typeName() {
        return "Embedding";
    }

    @Override
    public String defaultNamePrefix() {
        return "embedding";
    }

    @Override
    public <R> R accept(LayerVisitor<R> v) {
        return v.visit(this);
    }
}
