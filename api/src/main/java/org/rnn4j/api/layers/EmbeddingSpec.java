package org.rnn4j.api.layers;

/**
 * Keras {@code Embedding}: int ids {@code [batch, time]} to {@code [batch, time, outputDim]}.
 *
 * @param maskZero id 0 is padding: downstream recurrent layers keep their previous state and
 *                 output on those steps, as Keras does
 */
public record EmbeddingSpec(
        String name, int inputDim, int outputDim, boolean maskZero, Initializer embeddingsInitializer)
        implements LayerSpec {
    public EmbeddingSpec {
        LayerSpec.checkName(name);
        LayerSpec.checkPositive("embedding.input_dim", inputDim);
        LayerSpec.checkPositive("embedding.output_dim", outputDim);
        if (embeddingsInitializer == null) {
            throw new IllegalArgumentException("embedding.embeddings_initializer must not be null");
        }
    }

    @Override
    public EmbeddingSpec withName(String n) {
        return new EmbeddingSpec(n, inputDim, outputDim, maskZero, embeddingsInitializer);
    }

    public EmbeddingSpec maskZero(boolean value) {
        return new EmbeddingSpec(name, inputDim, outputDim, value, embeddingsInitializer);
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
