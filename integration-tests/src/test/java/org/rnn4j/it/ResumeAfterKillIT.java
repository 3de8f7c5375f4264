package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.train.History;

/**
 * A real training process killed with SIGKILL mid-run, then {@code train --resume}, ends with the
 * same weights and history as an uninterrupted run with the same seed.
 */
class ResumeAfterKillIT {
    private static final int EPOCHS = 60;

    @TempDir
    Path tmp;

    private static String[] trainArgs(String backend, Path out) {
        return new String[] {
            "train",
            "--zoo",
            "stock-simple-rnn",
            "--data",
            "amzn",
            "--epochs",
            Integer.toString(EPOCHS),
            "--seed",
            "5",
            "--backend",
            backend,
            "--out",
            out.toString(),
            "--no-progress"
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void killedRunResumesToTheSameResult(String backend) throws Exception {
        Path killed = tmp.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(
                List.of(java, "-Xmx1g", "-cp", Fixtures.testClasspath(), "org.rnn4j.cli.Main"));
        cmd.addAll(List.of(trainArgs(backend, killed)));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("killed.log").toFile());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process p = pb.start();
        Path checkpoint = killed.resolve("checkpoint").resolve("rnn4j.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        int seenEpoch = -1;
        while (System.nanoTime() < deadline && p.isAlive()) {
            seenEpoch = checkpointEpoch(checkpoint);
            if (seenEpoch >= 2) {
                break;
            }
            Thread.sleep(5);
        }
        assertTrue(
                p.isAlive(),
                "the training finished before it could be killed; log:\n"
                        + Files.readString(tmp.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(seenEpoch >= 2 && seenEpoch < EPOCHS - 1, "killed after epoch " + seenEpoch);
        assertTrue(!Files.exists(killed.resolve("history.json")), "a killed run has written no final outputs");

        Cli resumed = Cli.run("train", "--resume", "--backend", backend, "--out", killed.toString(), "--no-progress")
                .ok();
        assertTrue(resumed.out().contains("Resuming after epoch"), resumed.out());

        Path straight = tmp.resolve("straight");
        Cli.run(trainArgs(backend, straight)).ok();

        assertArrayEquals(
                Files.readAllBytes(straight.resolve("weights.bin")),
                Files.readAllBytes(killed.resolve("weights.bin")),
                "same weights, bit for bit");
        ObjectNode a = (ObjectNode) SpecJson.parse(Files.readString(straight.resolve("history.json")), "history.json");
        ObjectNode b = (ObjectNode) SpecJson.parse(Files.readString(killed.resolve("history.json")), "history.json");
        // Timings differ between runs: the epochs' seconds and the seconds they waited for data.
        a.remove("seconds");
        b.remove("seconds");
        a.remove(History.DATA_WAIT_KEY);
        b.remove(History.DATA_WAIT_KEY);
        assertEquals(EPOCHS, a.get("loss").size());
        assertEquals(a, b, "same history");
        assertTrue(!Files.exists(killed.resolve("checkpoint")), "a finished run drops its checkpoint");
    }

    private static int checkpointEpoch(Path rnn4jJson) {
        try {
            JsonNode n = SpecJson.parse(Files.readString(rnn4jJson), "checkpoint");
            return n.path("checkpoint").path("epoch").asInt(-1);
        } catch (Exception e) {
            // Not written yet, or being swapped in right now: look again.
            return -1;
        }
    }
}
