package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output locations are refused before any input is read or an engine starts: every case names
 * input that does not exist, so the output's line can only come first. Messages name the path
 * as given.
 */
class OutputLocationTest {
    @TempDir
    Path tmp;

    private static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Test
    void trainRefusesAKernelFileSystem() {
        CliRun.of("train", "--zoo", "stock-lstm", "--data", "/nope.csv", "--out", "/proc/run")
                .badInput("--out /proc/run is under /proc, a kernel file system, not storage; choose a folder on disk");
    }

    @Test
    void trainRefusesAFolderBelowAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
        CliRun.of(
                        "train",
                        "--zoo",
                        "stock-lstm",
                        "--data",
                        "/nope.csv",
                        "--out",
                        file.resolve("run").toString())
                .badInput("--out " + file.resolve("run") + " is below " + file + ", which is a file");
    }

    @Test
    void trainRefusesAFolderThatCannotBeWrittenBeforeReadingData() throws Exception {
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Assumptions.assumeTrue(sh("chattr", "+i", locked.toString()) == 0, "chattr +i is not available here");
        try {
            CliRun.of(
                            "train",
                            "--zoo",
                            "stock-lstm",
                            "--data",
                            "/nope.csv",
                            "--out",
                            locked.resolve("run").toString())
                    .badInput("--out " + locked.resolve("run") + " cannot be written (Operation not permitted in "
                            + locked + ")");
        } finally {
            sh("chattr", "-i", locked.toString());
        }
    }

    @Test
    void predictOutputThatIsADirectoryIsRefusedFirst() {
        CliRun.of("predict", "--model", "/nope", "--input", "/nope.json", "--output", tmp.toString())
                .badInput("--output " + tmp + " is a directory; give a file name");
    }

    @Test
    void forecastAndEvaluateOutputsAreCheckedFirst() throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        CliRun.of(
                        "forecast",
                        "--model",
                        "/nope",
                        "--output",
                        file.resolve("y.json").toString())
                .badInput("--output " + file.resolve("y.json") + " is below " + file + ", which is a file");
        CliRun.of("evaluate", "--model", "/nope", "--output", "/sys/y.json")
                .badInput("--output /sys/y.json is under /sys");
    }

    @Test
    void compareAndFitOutputsAreCheckedFirst() throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        CliRun.of("compare", "--zoo", "stock-lstm", "--data", "/nope.csv", "--out", file.toString())
                .badInput("--out " + file + " exists and is not a directory");
        CliRun.of(
                        "fit",
                        "--model",
                        "/nope",
                        "--x",
                        "/x.json",
                        "--y",
                        "/y.json",
                        "--loss",
                        "mse",
                        "--out",
                        file.resolve("m").toString())
                .badInput("is below " + file + ", which is a file");
    }

    @Test
    void aRelativePathIsNamedAsGiven() {
        CliRun.of("predict", "--model", "/nope", "--input", "/nope.json", "--output", "src")
                .badInput("--output src is a directory");
        assertFalse(Files.exists(Path.of("src", "out.json")));
    }
}
