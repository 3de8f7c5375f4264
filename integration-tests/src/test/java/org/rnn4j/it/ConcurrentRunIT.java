package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.io.RunLock;

/**
 * Two runs on one --out: the second is refused at once with one line naming the first (which
 * used to report success while the other replaced its outputs), and a run killed with SIGKILL
 * leaves a stale lock that the next run takes over.
 */
class ConcurrentRunIT {
    @TempDir
    Path tmp;

    @Test
    void aSecondRunOnTheSameOutIsRefusedAtOnceAndAKilledRunsLockIsTakenOver() throws Exception {
        Path run = tmp.resolve("run");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(List.of(java, "-Xmx1g", "-cp", Fixtures.testClasspath(), "org.rnn4j.cli.Main"));
        cmd.addAll(List.of(
                "train",
                "--zoo",
                "stock-simple-rnn",
                "--data",
                "amzn",
                "--epochs",
                "100000",
                "--out",
                run.toString(),
                "--no-progress"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process first = pb.start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Epoch 2/")) {
                // wait until the first run has a checkpoint (saved after epoch 1's progress line)
            }
            assertTrue(line != null, "the first run ended before training");

            long start = System.nanoTime();
            Cli second = Cli.run(
                    "train", "--zoo", "stock-simple-rnn", "--data", "amzn", "--epochs", "1", "--out", run.toString());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            second.badInput("--out " + run + " is in use by another rnn4j run (pid " + first.pid() + " on host ");
            assertTrue(ms < 3_000, "refused at once, took " + ms + " ms");
            assertTrue(Files.exists(run.resolve("checkpoint")), "the first run's checkpoint is untouched");
        } finally {
            first.destroyForcibly(); // SIGKILL
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(RunLock.lockFile(run)), "SIGKILL leaves the lock file");
        Cli.run(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--data",
                        "amzn",
                        "--epochs",
                        "1",
                        "--out",
                        run.toString(),
                        "--no-progress")
                .ok();
        assertTrue(!Files.exists(RunLock.lockFile(run)), "the stale lock was taken over and released");
    }
}
