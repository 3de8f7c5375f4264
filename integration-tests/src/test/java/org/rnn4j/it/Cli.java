package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.rnn4j.cli.Main;

/** The real CLI entry point, run in-process, with its exit code and output. */
record Cli(int code, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(code, out.toString(), err.toString());
    }

    Cli ok() {
        assertEquals(0, code, () -> "exit code " + code + "; stderr: " + err + "\nstdout: " + out);
        return this;
    }

    /** Exit code 2, one error line naming the problem, no stack trace. */
    Cli badInput(String fragment) {
        assertEquals(2, code, () -> "exit code; stderr: " + err);
        String[] lines = err.strip().split("\n", -1);
        assertEquals(1, lines.length, () -> "one error line expected, got:\n" + err);
        assertTrue(
                lines[0].startsWith("rnn4j: error: ") && lines[0].contains(fragment),
                () -> "'" + fragment + "' not in: " + lines[0]);
        assertFalse(err.contains("\tat "), "no stack trace without --verbose");
        return this;
    }
}
