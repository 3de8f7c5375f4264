package org.rnn4j.backend.tf;

/**
 * Keeps the engines' start-up chatter off a library user's stderr, once per process, before
 * TensorFlow's native library loads; {@code -Drnn4j.quietStart=false} turns it off. Settings the
 * user made are never replaced:
 *
 * <ul>
 *   <li>TensorFlow's C++ log level, {@code TF_CPP_MIN_LOG_LEVEL=2} (warnings and info off, errors
 *       on), unless the environment has one. TensorFlow reads it with C's {@code getenv} once, at
 *       its first log line, and Java cannot change the C environment, so on Linux the variable is
 *       added to it ({@link TfNativeEnvironment}; elsewhere nothing is done: set the variable
 *       yourself). The two lines TensorFlow logs through absl ("All log messages before
 *       absl::InitializeLog() ..." and "MLIR V1 optimization pass is not enabled") ignore it; no
 *       setting reaches them, and the {@code rnn4j} launcher filters them out.
 *   <li>JavaCPP's warnings go to SLF4J ({@code org.bytedeco.javacpp.logger=slf4j}) instead of
 *       straight to stderr, and SLF4J's own report of a missing logging provider is limited to
 *       errors ({@code slf4j.internal.verbosity=ERROR}), unless those properties are set.
 * </ul>
 */
final class TfQuietStart {
    static final String PROPERTY = "rnn4j.quietStart";
    static final String LOG_LEVEL = "TF_CPP_MIN_LOG_LEVEL";

    private static boolean applied;

    private TfQuietStart() {}

    static synchronized void apply() {
        if (applied || "false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return;
        }
        applied = true;
        setIfAbsent("org.bytedeco.javacpp.logger", "slf4j");
        setIfAbsent("slf4j.internal.verbosity", "ERROR");
        if (System.getenv(LOG_LEVEL) == null) {
            TfNativeEnvironment.add(LOG_LEVEL, "2");
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
