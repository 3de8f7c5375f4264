package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.backend.BackendException;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.train.TrainingDivergedException;

class MainTest {

    @ParameterizedTest
    @ValueSource(strings = {"summary", "predict", "train", "evaluate", "forecast", "generate", "zoo"})
    void everyCommandHasHelpWithExamples(String command) {
        CliRun r = CliRun.of(command, "--help").ok();
        assertTrue(r.out().contains("Usage: rnn4j " + command), r.out());
        assertTrue(r.out().contains("Example"), r.out());
    }

    @Test
    void engineCommandsTakeABackend() {
        for (String c : new String[] {"predict", "train", "evaluate", "forecast", "generate"}) {
            assertTrue(CliRun.of(c, "--help").out().contains("--backend=ID"), c);
        }
    }

    @Test
    void noArgumentsPrintsUsage() {
        assertTrue(CliRun.of().ok().out().contains("Usage: rnn4j"));
    }

    @Test
    void unknownOptionIsOneLineAndExitTwo() {
        CliRun.of("summary", "--frobnicate", "x.json")
                .badInput("Unknown option: '--frobnicate' (see 'rnn4j summary --help')");
    }

    @Test
    void unknownCommand() {
        assertEquals(2, CliRun.of("frobnicate").code());
    }

    @Test
    void completionScript() {
        CliRun r = CliRun.of("generate-completion").ok();
        assertTrue(
                r.out().contains("complete") && r.out().contains("rnn4j"),
                r.out().substring(0, 200));
    }

    @Test
    void version() {
        String out = CliRun.of("--version").ok().out();
        // the build's own version, filtered in by Maven (a literal ${project.version} would mean no filtering)
        assertTrue(
                out.startsWith("rnn4j " + System.getProperty("rnn4j.expectedVersion") + System.lineSeparator()), out);
        assertTrue(out.contains("Java " + System.getProperty("java.version")), out);
    }

    @Test
    void exitCodes() {
        assertEquals(2, Errors.exitCode(new IllegalArgumentException("x")));
        assertEquals(2, Errors.exitCode(new SpecException("$.a", "x")));
        assertEquals(2, Errors.exitCode(new NoSuchFileException("a.csv")));
        assertEquals(2, Errors.exitCode(new UncheckedIOException(new NoSuchFileException("a.csv"))));
        assertEquals(1, Errors.exitCode(new TrainingDivergedException(0, 3, Double.NaN)));
        assertEquals(1, Errors.exitCode(new BackendException("tf", "native failure")));
        assertEquals(1, Errors.exitCode(new IllegalStateException("x")));
    }

    @Test
    void messagesAreOneLine() {
        assertEquals("no such file or directory: a.csv", Errors.message(new NoSuchFileException("a.csv")));
        assertEquals("first", Errors.message(new RuntimeException("first\nsecond")));
        assertEquals(
                "root cause",
                Errors.message(
                        new RuntimeException("wrapper\n1) long\n2) text", new IllegalStateException("root cause"))));
    }
}
