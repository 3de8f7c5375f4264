package org.rnn4j.api.io;

import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.model.ModelSpec;

/**
 * Refuses models that would need more memory than a limit before anything is allocated. The
 * limit is {@code rnn4j.maxModelBytes} (system property) or {@code RNN4J_MAX_MODEL_BYTES}
 * (environment), default 2 GiB: weights plus gradients and two optimizer slots, 4 bytes each.
 */
public final class ResourceLimits {
    public static final long DEFAULT_MAX_MODEL_BYTES = 2L << 30;

    private ResourceLimits() {}

    public static long maxModelBytes() {
        String v = System.getProperty("rnn4j.maxModelBytes", System.getenv("RNN4J_MAX_MODEL_BYTES"));
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_MODEL_BYTES;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rnn4j.maxModelBytes must be a number of bytes, got '" + v + "'");
        }
    }

    /** Bytes a model needs for training: weights, gradients and two optimizer slots in float32. */
    public static long trainingBytes(ModelSpec spec) {
        try {
            return Math.multiplyExact(spec.parameterCount(), 16L);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    public static void check(ModelSpec spec) {
        long need = trainingBytes(spec);
        long max = maxModelBytes();
        if (need > max) {
            throw new SpecException(
                    "",
                    "model '" + spec.name() + "' has " + spec.parameterCount() + " parameters and would need about "
                            + need + " bytes to train, above the limit of " + max
                            + " bytes; make the layers smaller or raise"
                            + " -Drnn4j.maxModelBytes / RNN4J_MAX_MODEL_BYTES");
        }
    }
}
