/**
 * The hand-written TensorFlow Java baseline: each workload as a skilled TF Java user writes it
 * without rnn4j (an unrolled graph over placeholders, weights in TensorFlow variables,
 * {@code Graph.addGradients}, {@code ApplyAdam} in the graph, one session reused, batch tensors made
 * once), and the TensorFlow matmul peak.
 */
package org.rnn4j.bench.tf;
