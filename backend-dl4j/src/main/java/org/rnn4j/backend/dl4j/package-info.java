/**
 * The DeepLearning4J / ND4J backend: {@link org.rnn4j.backend.dl4j.Dl4jBackend} runs the shared
 * {@link org.rnn4j.api.graph.ModelGraph}, recorded by {@link org.rnn4j.backend.dl4j.TapeOps} once per
 * mode and sequence length and run eagerly on ND4J arrays by {@link org.rnn4j.backend.dl4j.TapeGraph}, and {@link org.rnn4j.backend.dl4j.Dl4jBackendModule} announces it
 * to the bootstrap through {@code META-INF/services/com.google.inject.Module}.
 */
package org.rnn4j.backend.dl4j;
