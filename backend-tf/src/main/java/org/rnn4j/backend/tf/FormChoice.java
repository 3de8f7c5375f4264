package org.rnn4j.backend.tf;

import java.util.Optional;
import org.rnn4j.api.graph.StepForm;

/**
 * A form for every recurrent layer of a TensorFlow graph, as autotuning chooses it: the api's
 * {@link StepForm}; for the fused form, how many time chunks a stack of fused LSTMs is cut into
 * ({@link TfOps#pipelineChunks}; 1 is one op per layer); for the unrolled forms, whether products
 * with weight matrices read them transposed ({@link TfOps#matmul}). Written {@code plain},
 * {@code plain-t}, {@code hoisted}, {@code hoisted-t}, {@code gate_major}, {@code fused} or {@code
 * fused-5} in the tuning cache and the log, and as the system property {@value
 * TfForms#FORM_PROPERTY} takes them.
 *
 * @param form       the layers' form
 * @param chunks     the time chunks of a fused stack: 1 for the other forms
 * @param transposed whether weight matrices are read transposed: only in the plain and hoisted forms
 */
public record FormChoice(StepForm form, int chunks, boolean transposed) {
    public FormChoice {
        if (form == null) {
            throw new IllegalArgumentException("form must not be null");
        }
        if (chunks < 1 || (form != StepForm.FUSED && chunks != 1)) {
            throw new IllegalArgumentException("a " + form.jsonName() + " form has 1 chunk, got " + chunks);
        }
        if (transposed && !readsTransposed(form)) {
            throw new IllegalArgumentException("the " + form.jsonName() + " form reads its weights as they are");
        }
    }

    /** {@code form} in one chunk, weights as they are. */
    public static FormChoice of(StepForm form) {
        return new FormChoice(form, 1, false);
    }

    /** The fused form in {@code chunks} chunks. */
    public static FormChoice fused(int chunks) {
        return new FormChoice(StepForm.FUSED, chunks, false);
    }

    /** An unrolled {@code form} reading its weight matrices transposed. */
    public static FormChoice transposed(StepForm form) {
        return new FormChoice(form, 1, true);
    }

    /**
     * Whether {@code form} has a variant with transposed weight matrices: plain and hoisted; the
     * fused op reads its weights as they are, and the gate-major form already reads its kernels
     * transposed.
     */
    static boolean readsTransposed(StepForm form) {
        return form == StepForm.PLAIN || form == StepForm.HOISTED;
    }

    /** The name the tuning cache keeps. */
    public String jsonName() {
        return form.jsonName() + (transposed ? "-t" : chunks > 1 ? "-" + chunks : "");
    }

    /** The choice named {@code name} as {@link #jsonName} writes it, or empty (an unknown or older entry). */
    public static Optional<FormChoice> parse(String name) {
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
        String tail = trimmed.substring(dash + 1);
        if (tail.equalsIgnoreCase("t")) {
            return readsTransposed(form.get()) ? Optional.of(transposed(form.get())) : Optional.empty();
        }
        try {
            int chunks = Integer.parseInt(tail);
            return form.get() == StepForm.FUSED && chunks >= 1 && chunks <= TfOps.MAX_PIPELINE_CHUNKS
                    ? Optional.of(fused(chunks))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
