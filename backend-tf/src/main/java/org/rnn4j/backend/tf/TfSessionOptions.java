package org.rnn4j.backend.tf;

import org.rnn4j.api.backend.OnOff;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The thread settings every session of a {@link TfBackend} gets. One intra-op thread makes each
 * kernel (matmul, reductions) run the same order of float additions every time, which is what
 * makes results bit-identical run after run; the inter-op threads let independent ops of an
 * unrolled graph overlap, and the parts of a training step split by rows ({@link
 * org.rnn4j.api.backend.SplitProgram}, one per core) run through the same pool. TensorFlow sizes
 * its process-wide pools from the first session it creates, so these settings only hold if rnn4j
 * creates the first one.
 *
 * <p>The rule ({@link #forCores}): 1 intra-op thread, and as many inter-op threads as cores but
 * at least 2. Measured on 1 and 2 cores (BENCHMARKS.md): more intra-op threads made W2 slower
 * (0.73x; its per-step products are too small to split), and the cores are used instead by
 * running the rows of a step side by side, each part's ops on the inter-op pool; a pool smaller
 * than the number of parts would leave parts waiting, so it grows with the cores. At least 2
 * keeps the plain form's overlap on one core (1 or 2 threads there were within 3%).
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

    /** {@link #forCores} of the cores this JVM may use (which {@code taskset} limits). */
    public static TfSessionOptions defaults() {
        return forCores(Runtime.getRuntime().availableProcessors());
    }

    /** 1 intra-op thread (deterministic kernels), and one inter-op thread per core, at least 2. */
    public static TfSessionOptions forCores(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("a machine has at least 1 core, got " + cores);
        }
        return new TfSessionOptions(1, Math.max(2, cores));
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
        return OnOff.parse(
                "system property " + DETERMINISTIC_PROPERTY, System.getProperty(DETERMINISTIC_PROPERTY), false, null);
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
