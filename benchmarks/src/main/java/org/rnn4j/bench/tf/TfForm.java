package org.rnn4j.bench.tf;

/**
 * How the hand-written TensorFlow graph writes a recurrent layer. Each is what a skilled TF Java
 * user might write; which is fastest depends on the shape and the CPU, so the benchmark runs them
 * all and compares rnn4j with the fastest per workload.
 */
public enum TfForm {
    /**
     * The input projection of all steps as one matmul (plus bias) before the loop, unstacked; each
     * step adds {@code h . U} and splits the gates. The project's first baseline.
     */
    HOISTED,
    /**
     * Each step computes {@code x_t . W + h . U + b} itself (per-step input products, which the
     * inter-op threads can run beside the recurrent chain; no stack between stacked layers).
     */
    PLAIN,
    /**
     * TensorFlow's fused {@code BlockLSTMV2} per LSTM layer, its gradient wired by hand with
     * {@code BlockLSTMGradV2} (TensorFlow registers it in Python only). LSTM workloads only.
     */
    BLOCK
}
