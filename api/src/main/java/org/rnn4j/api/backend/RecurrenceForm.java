package org.rnn4j.api.backend;

/** How a model's recurrences run over one sequence length. */
public enum RecurrenceForm {
    /**
     * One graph over the whole sequence, every step unrolled or an engine's fused layer: the
     * fastest form for short sequences, one graph per length.
     */
    WHOLE,
    /**
     * Pieces over chunks of a fixed number of steps with the recurrent states fed in and out,
     * shared by every length; exact backpropagation through time by recomputing each chunk from
     * its saved entry state.
     */
    CHUNKED
}
