package org.rnn4j.backend.tf;

import java.util.Optional;
import org.rnn4j.api.graph.StepForm;

/**
 * A form for every recurrent layer of a TensorFlow graph, as autotuning chooses it: the api's
 * {@link StepForm}, and for the fused form how many time chunks a stack of fused LSTMs is cut into
 * ({@link TfOps#pipelineChunks}; 1 is one op per layer). Written {@code plain}, {@code hoisted},
 * {@code fused} or {@code fused-5} in the tuning cache and the log.
 *
 * @param form   the layers' form
 * @param chunks the time chunks of a fused stack: 1 for every other form
 */
record FormChoice(StepForm form, int chunks) {
    FormChoice {
        if (form == null) {
            throw new IllegalArgumentException("form must not be null");
        }
        if (chunks < 1 || (form != StepForm.FUSED && chunks != 1)) {
            throw new IllegalArgumentException("a " + form.jsonName() + " form has 1 chunk, got " + chunks);
        }
    }

    /** {@code form} in one chunk. */
    static FormChoice of(StepForm form) {
        return new FormChoice(form, 1);
    }

    /** The name the tuning cache keeps. */
    String jsonName() {
        return chunks == 1 ? form.jsonName() : form.jsonName() + "-" + chunks;
    }

    /** The choice named {@code name} as {@link #jsonName} writes it, or empty (an unknown or older entry). */
    static Optional<FormChoice> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String trimmed = name.trim();
        int dash = trimmed.indexOf('-');
        Optional<StepForm> form = StepForm.parse(dash < 0 ? trimmed : trimmed.substring(0, dash));
        if (form.isEmpty()) {
            return Optional.empty();
        }
        if (dash < 0) {
            return Optional.of(of(form.get()));
        }
        try {
            int chunks = Integer.parseInt(trimmed.substring(dash + 1));
            return form.get() == StepForm.FUSED && chunks >= 1 && chunks <= TfOps.MAX_PIPELINE_CHUNKS
                    ? Optional.of(new FormChoice(form.get(), chunks))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
