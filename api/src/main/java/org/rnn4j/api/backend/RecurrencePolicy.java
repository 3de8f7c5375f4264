package org.rnn4j.api.backend;

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

    /**
     * The chunk length of the chunked form (the longest piece; shorter pieces cover the rest). A
     * program asks once per model and mode and keeps the answer, so it must not change.
     */
    int chunkSteps(ModelSpec spec, Mode mode);

    /**
     * The engine-neutral default (ARCHITECTURE.md, "Long sequences"): sequences of up to
     * {@value #WHOLE_MAX_STEPS} steps run whole, longer ones in chunks of {@value #CHUNK_STEPS}. An
     * engine may measure better ({@link org.rnn4j.api.backend.Backend#recurrencePolicy()}).
     */
    static RecurrencePolicy defaults() {
        return measured(WHOLE_MAX_STEPS, spec -> CHUNK_STEPS);
    }

    /** The longest sequence the default policies run as one graph. */
    int WHOLE_MAX_STEPS = 128;

    /** The default chunk length. */
    int CHUNK_STEPS = 64;

    /**
     * Whole up to {@code wholeMaxSteps} steps, else chunks of {@code chunkSteps} for the model (an
     * engine's measured rule). The system properties {@code rnn4j.recurrence.wholeMaxSteps} and
     * {@code rnn4j.recurrence.chunkSteps} override both numbers, for every model (measurements,
     * tuning).
     */
    static RecurrencePolicy measured(int wholeMaxSteps, java.util.function.ToIntFunction<ModelSpec> chunkSteps) {
        int whole = property("rnn4j.recurrence.wholeMaxSteps", wholeMaxSteps, 0);
        String forced = System.getProperty("rnn4j.recurrence.chunkSteps");
        int chunk = property("rnn4j.recurrence.chunkSteps", 1, 1);
        return new RecurrencePolicy() {
            @Override
            public RecurrenceForm form(ModelSpec spec, Mode mode, int steps) {
                return steps <= whole ? RecurrenceForm.WHOLE : RecurrenceForm.CHUNKED;
            }

            @Override
            public int chunkSteps(ModelSpec spec, Mode mode) {
                return forced != null ? chunk : chunkSteps.applyAsInt(spec);
            }

            @Override
            public String toString() {
                return "whole up to " + whole + " steps, else chunks"
                        + (forced != null ? " of " + chunk : " of the engine's measured length");
            }
        };
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
