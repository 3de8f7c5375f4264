package org.rnn4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.bootstrap.Rnn4j;
import picocli.CommandLine.Option;

/**
 * {@code --no-autotune} and {@code --deterministic} of the training commands (fit, train): what the
 * TensorFlow engine does with its recurrence forms and threads. They set the engine's system
 * properties while it is created and restore them after, so one in-process command never changes
 * the next.
 */
final class TuningOptions {
    @Option(
            names = "--no-autotune",
            description = "Do not time TensorFlow's recurrence forms on the first batch of each shape; use the"
                    + " measured rule (also -Drnn4j.autotune=false or RNN4J_AUTOTUNE=false).")
    boolean noAutotune;

    @Option(
            names = "--deterministic",
            description = "Bit-for-bit repeatable training on TensorFlow: one intra-op thread and no autotuning"
                    + " (also -Drnn4j.deterministic=true). DL4J runs are repeatable either way.")
    boolean deterministic;

    /** Opens engine {@code id} with these settings. */
    Backend open(String id) {
        Map<String, String> set = new LinkedHashMap<>();
        if (noAutotune) {
            set.put("rnn4j.autotune", "false");
        }
        if (deterministic) {
            set.put("rnn4j.deterministic", "true");
        }
        Map<String, String> before = new LinkedHashMap<>();
        set.forEach((k, v) -> before.put(k, System.getProperty(k)));
        try {
            set.forEach(System::setProperty);
            return Rnn4j.backend(id);
        } finally {
            before.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }
}
