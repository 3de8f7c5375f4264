package org.rnn4j.api.sequence;

import org.rnn4j.api.graph.ModelGraph.Mode;
import org.rnn4j.api.model.ModelSpec;

/**
 * Chooses the {@link RecurrenceForm} for each sequence length, and the chunk length of the chunked
 * form: the one seam through which the forms are selected. The driver asks only for models that
 * can run in chunks (those with a {@link org.rnn4j.api.graph.SequencePlan}); the others always run
 * whole.
 */
public interface RecurrencePolicy {

    /** The form for a batch of {@code steps} time steps. */
    RecurrenceForm form(ModelSpec spec, Mode mode, int steps);

    /** The chunk length of the chunked form (the longest piece; shorter pieces cover the rest). */
    int chunkSteps(ModelSpec spec, Mode mode);

    /**
     * The measured default (ARCHITECTURE.md, "Long sequences"): sequences of up to
     * {@value #WHOLE_MAX_STEPS} steps run whole, longer ones in chunks of {@value #CHUNK_STEPS}.
     * The system properties {@code rnn4j.recurrence.wholeMaxSteps} and
     * {@code rnn4j.recurrence.chunkSteps} override the two numbers (for measurements and tuning).
     */
    static RecurrencePolicy defaults() {
        return threshold(
                property("rnn4j.recurrence.wholeMaxSteps", WHOLE_MAX_STEPS, 0),
                property("rnn4j.recurrence.chunkSteps", CHUNK_STEPS, 1));
    }

    private static int property(String name, int fallback, int min) {
        String v = System.getProperty(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min) {
                throw new IllegalArgumentException(
                        "system property " + name + " must be an integer >= " + min + ", got '" + v + "'");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "system property " + name + " must be an integer >= " + min + ", got '" + v + "'", e);
        }
    }

    /** The longest sequence the default policy runs as one graph. */
    int WHOLE_MAX_STEPS = 256;

    /** The default chunk length. */
    int CHUNK_STEPS = 128;

    /** Whole up to {@code wholeMaxSteps} steps, else chunks of {@code chunkSteps}. */
    static RecurrencePolicy threshold(int wholeMaxSteps, int chunkSteps) {
        if (wholeMaxSteps < 0 || chunkSteps < 1) {
            throw new IllegalArgumentException("a recurrence policy needs wholeMaxSteps >= 0 and chunkSteps >= 1, got "
                    + wholeMaxSteps + " and " + chunkSteps);
        }
        return new RecurrencePolicy() {
            @Override
            public RecurrenceForm form(ModelSpec spec, Mode mode, int steps) {
                return steps <= wholeMaxSteps ? RecurrenceForm.WHOLE : RecurrenceForm.CHUNKED;
            }

            @Override
            public int chunkSteps(ModelSpec spec, Mode mode) {
                return chunkSteps;
            }

            @Override
            public String toString() {
                return "whole up to " + wholeMaxSteps + " steps, else chunks of " + chunkSteps;
            }
        };
    }

    /** Every length in chunks of {@code chunkSteps} (tests and benchmarks of the chunked form). */
    static RecurrencePolicy chunked(int chunkSteps) {
        return threshold(0, chunkSteps);
    }

    /** Every length as one graph: the form before chunking existed. */
    static RecurrencePolicy whole() {
        return threshold(Integer.MAX_VALUE, 1);
    }
}
