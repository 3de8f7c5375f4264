package org.rnn4j.cli;

import java.io.Console;

/** Whether a person is watching: progress bars and a closing newline are for terminals, not pipes or files. */
final class Terminal {
    private Terminal() {}

    /**
     * True when the JVM's standard streams are an interactive terminal. Up to JDK 21 {@code System.console()}
     * is null exactly when they are not; from JDK 22 it returns a console for redirected streams too, and
     * {@code Console.isTerminal()} (looked up by name, since the code is compiled for Java 17) decides.
     */
    @SuppressWarnings("SystemConsoleNull") // the null check is the JDK 17-21 answer; isTerminal() covers JDK 22+
    static boolean attached() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException beforeJdk22) {
            return true;
        }
    }
}
