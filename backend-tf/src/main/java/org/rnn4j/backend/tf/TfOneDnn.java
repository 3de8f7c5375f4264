package org.rnn4j.backend.tf;

import java.util.Locale;
import org.bytedeco.javacpp.Loader;
import org.rnn4j.api.backend.OnOff;

/**
 * Turns on TensorFlow's oneDNN kernels ({@code TF_ENABLE_ONEDNN_OPTS=1}) once per process, before
 * TensorFlow's native library loads, unless the environment already sets that variable (the user's
 * choice, either way) or {@code -Drnn4j.tf.onednn=false} asks for TensorFlow's own default.
 *
 * <p>Why: TensorFlow 2.18 turns oneDNN on by itself only on CPUs with AVX-512 VNNI, BF16 or AMX;
 * elsewhere its float32 {@code MatMul} runs on Eigen. On an AMD EPYC (Zen 3, AVX2, 2 vCPUs,
 * 2026-12-06) Eigen ran W2's forward recurrent product {@code h . U} with the transposed weight
 * ({@code transpose_b}) at 38-39 GFLOP/s on one thread, oneDNN at 65-70
 * ({@code benchmarks/manual.sh matmul-shapes} with the variable {@code =0} and {@code =1}), and W2 trained
 * about 1.4x as fast (medians of 329 against 460 and 469 samples/s), W1 and W1b and the generation
 * step no slower (BENCHMARKS.md, round eleven). The kernels compute the same float32 math in another order: results differ
 * within float32 rounding, as TensorFlow's log line says when oneDNN is on; on one intra-op
 * thread a run repeats bit for bit as before.
 *
 * <p>TensorFlow reads the variable with C's {@code getenv} while its library loads, so it is added to
 * the C environment ({@link TfNativeEnvironment}, Linux only); when TensorFlow is already loaded,
 * or elsewhere than Linux, nothing changes and {@link #state} says so.
 */
final class TfOneDnn {
    static final String PROPERTY = "rnn4j.tf.onednn";
    static final String VARIABLE = "TF_ENABLE_ONEDNN_OPTS";

    private static String state;

    private TfOneDnn() {}

    /**
     * Applies the setting once; later calls do nothing.
     *
     * @throws IllegalArgumentException if the environment does not set the variable and
     *     {@value #PROPERTY} is none of true, false, on, off, 1, 0 (or blank)
     */
    static synchronized void apply() {
        if (state != null) {
            return;
        }
        String user = System.getenv(VARIABLE);
        if (user != null) {
            // Even an empty value: glibc's getenv returns the first entry, so one added after it would not count.
            state = "environment:" + (user.isBlank() ? "(empty)" : user.trim());
        } else if (!requested()) {
            state = "tensorflow-default";
        } else if (tensorFlowLoaded()) {
            state = "tensorflow-default (loaded before rnn4j could set " + VARIABLE + ")";
        } else {
            state = TfNativeEnvironment.add(VARIABLE, "1")
                    ? "on"
                    : "tensorflow-default (could not set " + VARIABLE + ": not Linux, or no C environment)";
        }
    }

    /**
     * What {@link #apply} did: {@code on}, {@code environment:<value>}, or {@code tensorflow-default}
     * with the reason; part of the tuning cache's key, since the kernels change which form is fastest.
     */
    static synchronized String state() {
        return state == null ? "not applied" : state;
    }

    /** Whether {@value #PROPERTY} leaves rnn4j's default (on) in place. */
    static boolean requested() {
        return OnOff.parse(
                "system property " + PROPERTY, System.getProperty(PROPERTY), true, "remove it to use oneDNN's kernels");
    }

    private static boolean tensorFlowLoaded() {
        return Loader.getLoadedLibraries().keySet().stream()
                .anyMatch(name -> name.toLowerCase(Locale.ROOT).contains("tensorflow"));
    }
}
