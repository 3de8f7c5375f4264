/**
 * The DeepLearning4J / ND4J backend: {@link org.rnn4j.backend.dl4j.Dl4jBackend} runs the shared
 * {@link org.rnn4j.api.graph.ModelGraph} as SameDiff graphs ({@link org.rnn4j.backend.dl4j.SameDiffOps}),
 * one per mode and sequence length, and {@link org.rnn4j.backend.dl4j.Dl4jBackendModule} announces it
 * to the bootstrap through {@code META-INF/services/com.google.inject.Module}.
 */
package org.rnn4j.backend.dl4j;
