package org.rnn4j.api.backend;

/** Optional abilities a backend declares up front (never discovered through exceptions). */
public enum Capability {
    /** {@code predict} may be called from many threads on one program at once. */
    CONCURRENT_PREDICT,
    /** Same inputs, same machine: bit-identical outputs and gradients run after run. */
    DETERMINISTIC,
    /** Training and evaluation take per-sample loss weights (Keras's {@code sample_weight}, {@code class_weight}). */
    SAMPLE_WEIGHTS
}
