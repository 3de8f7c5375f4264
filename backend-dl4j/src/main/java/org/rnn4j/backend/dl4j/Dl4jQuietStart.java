package org.rnn4j.backend.dl4j;

/**
 * Keeps ND4J's start-up chatter off a library user's stderr, once per process, before ND4J loads;
 * {@code -Drnn4j.quietStart=false} turns it off, and properties the user set are never replaced.
 * JavaCPP's warnings go to SLF4J ({@code org.bytedeco.javacpp.logger=slf4j}) instead of straight to
 * stderr: ND4J 1.0.0-M2.1 was built against JavaCPP 1.5.7 and runs here on 1.5.11 (pinned for
 * TensorFlow Java), so JavaCPP warns "Versions of org.bytedeco:javacpp:1.5.11 and
 * org.bytedeco:openblas:0.3.19-1.5.7 do not match" on every start. SLF4J's own report of a missing
 * logging provider is limited to errors ({@code slf4j.internal.verbosity=ERROR}).
 */
final class Dl4jQuietStart {
    static final String PROPERTY = "rnn4j.quietStart";

    private static boolean applied;

    private Dl4jQuietStart() {}

    static synchronized void apply() {
        if (applied || "false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return;
        }
        applied = true;
        setIfAbsent("org.bytedeco.javacpp.logger", "slf4j");
        setIfAbsent("slf4j.internal.verbosity", "ERROR");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
