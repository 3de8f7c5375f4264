package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI under a small heap, in its own JVM ({@code -Xmx}, as {@code RNN4J_JAVA_OPTS} sets it): a
 * run whose data cannot fit is refused before training with one line naming the need and the way
 * out (exit 2), and an {@link OutOfMemoryError} that still happens is one line (exit 1); never a
 * stack trace, never a half-written run folder.
 */
class HeapLimitsIT {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
        List<String> errorLines() {
            return err.lines().filter(l -> l.startsWith("rnn4j: error: ")).toList();
        }

        void noStackTrace() {
            assertFalse(err.contains("\tat "), () -> "no stack trace expected:\n" + err);
            assertFalse(err.contains("Exception in thread"), () -> "no uncaught error expected:\n" + err);
        }
    }

    private Run cli(String xmx, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                xmx,
                "-XX:+UseSerialGC",
                "-D" + "rnn4j.cacheDir=" + tmp.resolve("cache"),
                "-cp",
                Fixtures.testClasspath(),
                "org.rnn4j.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Path errFile = tmp.resolve("stderr.txt");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the CLI did not finish");
        return new Run(p.exitValue(), out, Files.readString(errFile));
    }

    /** A one-column price CSV of {@code rows} rows: an AR(1) walk around 100, so prices stay positive. */
    private Path prices(int rows) throws IOException {
        Path file = tmp.resolve("prices.csv");
        SplittableRandom r = new SplittableRandom(5);
        double deviation = 0;
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("close\n");
            for (int i = 0; i < rows; i++) {
                deviation = 0.99 * deviation + (r.nextDouble() - 0.5);
                w.write(String.format(Locale.ROOT, "%.4f%n", 100 + deviation));
            }
        }
        return file;
    }

    @Test
    void aStreamedRunThatCannotFitTheHeapIsRefusedBeforeTrainingInOneLine() throws Exception {
        // 4,000,000 prices stream (their windows would need about 1.2 GB in memory), but the
        // streamed run still keeps the prices, the shuffle order and the test forecasts on the
        // heap: tens of MB, more than a 32 MB heap has free.
        Path data = prices(4_000_000);
        Path out = tmp.resolve("run");
        Run run = cli(
                "-Xmx32m",
                "train",
                "--zoo",
                "stock-simple-rnn",
                "--data",
                data.toString(),
                "--column",
                "close",
                "--epochs",
                "1",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(2, run.code(), () -> "exit code; stderr:\n" + run.err());
        List<String> errors = run.errorLines();
        assertEquals(1, errors.size(), () -> "one error line expected:\n" + run.err());
        String line = errors.get(0);
        assertTrue(
                line.startsWith("rnn4j: error: streaming close, 4000000 rows")
                        && line.contains(" needs ")
                        && line.contains(" of heap but only ")
                        && line.contains(" maximum heap is free; raise the heap (RNN4J_JAVA_OPTS=-Xmx"),
                line);
        run.noStackTrace();
        assertFalse(Files.exists(out), "no run folder");
    }

    @Test
    void anOutOfMemoryErrorIsOneLineAndExitOne() throws Exception {
        // 16 MB is less than the engine and the model need: the failure happens while running,
        // past every estimate, and must still be one line.
        Path out = tmp.resolve("run");
        Run run = cli(
                "-Xmx16m",
                "train",
                "--zoo",
                "stock-simple-rnn",
                "--epochs",
                "1",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(1, run.code(), () -> "exit code; stderr:\n" + run.err());
        List<String> errors = run.errorLines();
        assertEquals(1, errors.size(), () -> "one error line expected:\n" + run.err());
        assertTrue(
                errors.get(0).startsWith("rnn4j: error: out of memory (")
                        && errors.get(0).contains("with a 16 MB maximum heap; raise it (RNN4J_JAVA_OPTS=-Xmx"),
                errors.get(0));
        run.noStackTrace();
        // Nothing half-written: either nothing at all (out of memory before the first epoch ended), or
        // only the last complete checkpoint, which --resume continues from (RunFolder's contract).
        List<String> left = files(out);
        assertTrue(left.isEmpty() || left.equals(List.of("checkpoint")), "only a checkpoint may be left: " + left);
        if (!left.isEmpty()) {
            List<String> checkpoint = files(out.resolve("checkpoint"));
            assertTrue(checkpoint.contains("model.json") && checkpoint.contains("weights.bin"), checkpoint.toString());
            assertTrue(
                    checkpoint.stream().noneMatch(f -> f.contains("tmp") || f.startsWith(".")), checkpoint.toString());
        }
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
