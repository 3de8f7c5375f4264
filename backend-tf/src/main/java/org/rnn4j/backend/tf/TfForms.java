package org.rnn4j.backend.tf;

import org.rnn4j.api.backend.OnOff;
import org.rnn4j.api.backend.TuningCache;
import org.rnn4j.api.graph.StepForm;

/**
 * How a {@link TfBackend} chooses the form of its recurrent layers ({@link StepForm}) in
 * whole-sequence graphs: by a fixed rule, one form forced, or by measurement (autotuning).
 *
 * <p>Autotuning: the first time a model trains on a sequence length, every candidate ({@link
 * FormChoice}: plain and hoisted, each also with transposed weights, and fused where TensorFlow's
 * fused LSTM applies, also in time chunks for a stack) is built and timed on that first batch
 * for a few runs, interleaved, and the fastest is kept for that length; the choice is stored in a
 * {@link TuningCache} keyed by the CPU (its model, family and vector instruction sets), the core count, TensorFlow's version, the thread
 * settings, the model and the batch shape, so later runs on the same machine skip the timing. A
 * training step computes no update (the optimizer runs in the api), so timing it changes nothing.
 * The forms compute the same math within float32 rounding; which one runs is not bit-for-bit
 * neutral, so a deterministic backend never tunes.
 *
 * @param autotune measure the forms per shape (else the rule, or {@code forced})
 * @param forced   every layer's form (a tuned choice pinned), or null: the measured rule unless tuned
 * @param cache    where tuned choices are kept, or null to measure every time a program first trains
 */
public record TfForms(boolean autotune, FormChoice forced, TuningCache cache) {
    /** The system property that turns autotuning off ({@code false}) or on; default on. */
    public static final String AUTOTUNE_PROPERTY = "rnn4j.autotune";
    /** The environment variable read when the property is not set. */
    public static final String AUTOTUNE_ENVIRONMENT = "RNN4J_AUTOTUNE";
    /**
     * The system property that forces one form for every layer, named as the tuning cache and the log
     * name the choices ({@link FormChoice}): {@code plain}, {@code plain-t}, {@code hoisted},
     * {@code hoisted-t}, {@code gate_major}, {@code fused} (one op per layer) or {@code fused-N} (a
     * pipelined stack in N time chunks).
     */
    public static final String FORM_PROPERTY = "rnn4j.tf.stepForm";

    public TfForms {
        if (autotune && forced != null) {
            throw new IllegalArgumentException("a forced step form (" + forced.jsonName() + ") is never tuned");
        }
    }

    /** No measuring: the measured rule (fused LSTMs up to 96 units, else hoisted). */
    public static TfForms rule() {
        return new TfForms(false, null, null);
    }

    /** Every recurrent layer in {@code form}, weights as they are, a fused layer one op (tests, benchmarks). */
    public static TfForms forced(StepForm form) {
        if (form == null) {
            throw new IllegalArgumentException("form must not be null; use TfForms.rule()");
        }
        return forced(FormChoice.of(form));
    }

    /** Every recurrent layer in {@code choice} (tests, benchmarks, a tuned choice pinned by hand). */
    public static TfForms forced(FormChoice choice) {
        if (choice == null) {
            throw new IllegalArgumentException("choice must not be null; use TfForms.rule()");
        }
        return new TfForms(false, choice, null);
    }

    /** Autotuning, its choices kept in {@code cache} (null: measured again by every program). */
    public static TfForms autotune(TuningCache cache) {
        return new TfForms(true, null, cache);
    }

    /**
     * What a user gets from {@code Rnn4j.backend("tf")}: {@value #FORM_PROPERTY} forces a form;
     * else autotuning with the user's cache file, unless {@value #AUTOTUNE_PROPERTY} (or
     * {@value #AUTOTUNE_ENVIRONMENT}) is {@code false} or the session options are deterministic
     * by request ({@code deterministicRequested}).
     */
    public static TfForms fromSystemProperties(boolean deterministicRequested) {
        String form = System.getProperty(FORM_PROPERTY);
        if (form != null && !form.isBlank()) {
            return forced(FormChoice.parse(form)
                    .orElseThrow(() -> new IllegalArgumentException("system property " + FORM_PROPERTY
                            + " must be plain, plain-t, hoisted, hoisted-t, gate_major, fused or fused-N (N from 2 to "
                            + TfOps.MAX_PIPELINE_CHUNKS + "), got '" + form + "'; remove it to autotune")));
        }
        return autotuneRequested() && !deterministicRequested ? autotune(TuningCache.standard()) : rule();
    }

    /** Whether the property (else the environment variable) leaves autotuning on; default on. */
    static boolean autotuneRequested() {
        return OnOff.parse(
                "system property " + AUTOTUNE_PROPERTY + " (or " + AUTOTUNE_ENVIRONMENT + ")",
                System.getProperty(AUTOTUNE_PROPERTY, System.getenv(AUTOTUNE_ENVIRONMENT)),
                true,
                null);
    }
}
