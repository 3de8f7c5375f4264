package org.rnn4j.backend.tf;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The thread settings every session of a {@link TfBackend} gets. One intra-op thread makes each
 * kernel (matmul, reductions) run the same order of float additions every time, which is what
 * makes results bit-identical run after run; two inter-op threads still let independent ops of
 * an unrolled graph overlap. TensorFlow sizes its process-wide intra-op pool from the first
 * session it creates, so these settings only hold if rnn4j creates the first one.
 *
 * <p>Grappler (TensorFlow's graph rewriter) is off: on an unrolled 50-step, two-layer LSTM it made
 * the first training step 3.5 s instead of 0.7 s and later steps no faster (35 ms either way, batch
 * 32, on 2 cores), and without it every graph runs exactly the ops the api built.
 *
 * @param intraOpThreads threads inside one kernel; 0 lets TensorFlow choose
 * @param interOpThreads kernels run at once; 0 lets TensorFlow choose
 */
public record TfSessionOptions(int intraOpThreads, int interOpThreads) {
    public static final String INTRA_OP_PROPERTY = "rnn4j.tf.intraOpThreads";
    public static final String INTER_OP_PROPERTY = "rnn4j.tf.interOpThreads";
    /**
     * The system property ({@code true}) that asks for bit-for-bit repeatable runs, as Keras's
     * {@code enable_op_determinism}: one intra-op thread and no autotuning ({@link TfForms}).
     */
    public static final String DETERMINISTIC_PROPERTY = "rnn4j.deterministic";

    public TfSessionOptions {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException(
                    "intraOpThreads must be >= 0 (0 = TensorFlow chooses), got " + intraOpThreads);
        }
        if (interOpThreads < 0) {
            throw new IllegalArgumentException(
                    "interOpThreads must be >= 0 (0 = TensorFlow chooses), got " + interOpThreads);
        }
    }

    /** 1 intra-op thread (deterministic kernels), 2 inter-op threads. */
    public static TfSessionOptions defaults() {
        return new TfSessionOptions(1, 2);
    }

    /**
     * The defaults, overridden by the system properties {@value #INTRA_OP_PROPERTY} and
     * {@value #INTER_OP_PROPERTY}; {@value #DETERMINISTIC_PROPERTY} {@code =true} holds the intra-op
     * threads at 1 (and refuses another number).
     */
    public static TfSessionOptions fromSystemProperties() {
        TfSessionOptions d = defaults();
        int intra = property(INTRA_OP_PROPERTY, d.intraOpThreads);
        if (deterministicRequested() && intra != 1) {
            throw new IllegalArgumentException("system property " + DETERMINISTIC_PROPERTY + "=true needs 1 intra-op"
                    + " thread (a multi-threaded kernel adds in a varying order), but " + INTRA_OP_PROPERTY + " is "
                    + intra + "; remove one of the two");
        }
        return new TfSessionOptions(intra, property(INTER_OP_PROPERTY, d.interOpThreads));
    }

    /** Whether {@value #DETERMINISTIC_PROPERTY} is {@code true}. */
    public static boolean deterministicRequested() {
        String v = System.getProperty(DETERMINISTIC_PROPERTY);
        if (v == null || v.isBlank() || v.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (v.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException(
                "system property " + DETERMINISTIC_PROPERTY + " must be true or false, got '" + v + "'");
    }

    private static int property(String name, int fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below, which says what is accepted
        }
        throw new IllegalArgumentException(
                "system property " + name + " must be an integer >= 0 (0 = TensorFlow chooses), got '" + value
                        + "'; remove it to use " + fallback);
    }

    /** Single-threaded kernels give bit-identical results run after run. */
    public boolean deterministic() {
        return intraOpThreads == 1;
    }

    ConfigProto toConfigProto() {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .setGraphOptions(GraphOptions.newBuilder()
                        .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)))
                .build();
    }
}
