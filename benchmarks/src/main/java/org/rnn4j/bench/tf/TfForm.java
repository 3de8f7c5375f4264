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
    BLOCK,
    /**
     * The LSTM with its gates along the first axis, as rnn4j's gate-major form builds it: states
     * {@code [units, batch]}, the weight matrices transposed once, one {@code W^T . x^T} product for
     * every step's input term, each step {@code z^T = (W^T x_t^T + b) + U^T h^T} split along axis 0.
     * Its products' gradients read their operands in the orientations oneDNN runs at full speed
     * (BENCHMARKS.md, round fifteen). LSTM workloads only.
     */
    GATE_MAJOR
}
