/**
 * The TensorFlow Java engine: {@link org.rnn4j.backend.tf.TfBackend} compiles a model spec into a
 * program that builds the api's {@link org.rnn4j.api.graph.ModelGraph} in a TensorFlow
 * {@code Graph} (through {@code TfOps}), once per mode and sequence length, and runs it in a
 * {@code Session}. Weights are fed as placeholders from the api's
 * {@link org.rnn4j.api.weights.WeightStore}; gradients come from TensorFlow's C++ gradient
 * registry ({@code Graph.addGradients}). Every native object is owned by a program and closed
 * with it; nothing native crosses the package boundary.
 */
package org.rnn4j.backend.tf;
