package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.io.KillDuringSave;
import org.rnn4j.api.json.SpecJson;

/**
 * Resume cannot go wrong silently. Interrupted runs are made by killing a real CLI process right
 * after a given step of a given save ({@link KillDuringSave}); each resumed run must end with the
 * same weights as an uninterrupted one, or be refused with one line.
 */
class ResumeSafetyIT {
    private static final int EPOCHS = 4;
    /** Save n is the checkpoint of epoch n; save EPOCHS + 1 is the run's final output. */
    private static final int FINAL_SAVE = EPOCHS + 1;

    private static final Map<String, byte[]> STRAIGHT = new HashMap<>();

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static List<String> trainArgs(String data, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of(
                "train",
                "--zoo",
                "stock-simple-rnn",
                "--data",
                data,
                "--epochs",
                Integer.toString(EPOCHS),
                "--seed",
                "5",
                "--out",
                out.toString(),
                "--no-progress"));
        a.addAll(List.of(more));
        return a;
    }

    /** Runs the CLI in a child JVM killed right after the n-th time a save reaches {@code step}. */
    static void killAt(String step, int n, List<String> args, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-Xmx1g",
                "-cp",
                Fixtures.testClasspath(),
                KillDuringSave.class.getName(),
                step,
                Integer.toString(n)));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process p = pb.start();
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "the killed run hung");
        assertEquals(137, p.exitValue(), () -> "not killed at " + step + " #" + n + ":\n" + read(log));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** The weights of an uninterrupted run on {@code backend} (computed once per engine). */
    private static synchronized byte[] straight(String backend) throws Exception {
        if (!STRAIGHT.containsKey(backend)) {
            Path out = shared.resolve("straight-" + backend);
            Cli.run(trainArgs("amzn", out, "--backend", backend).toArray(String[]::new))
                    .ok();
            STRAIGHT.put(backend, Files.readAllBytes(out.resolve("weights.bin")));
        }
        return STRAIGHT.get(backend);
    }

    @ParameterizedTest
    @CsvSource({"tf, dl4j", "dl4j, tf"})
    void aRunResumesOnItsOwnEngineAndRefusesAnother(String engine, String other) throws Exception {
        Path run = tmp.resolve("run");
        killAt("BACKUP_DELETED", 2, trainArgs("amzn", run, "--backend", engine), tmp.resolve("log"));

        Cli.run("train", "--resume", "--backend", other, "--out", run.toString())
                .badInput("the run in " + run + " trained on " + engine + "; continuing on " + other
                        + " would not end with the same weights: drop --backend to continue on " + engine
                        + ", or add --force to continue on " + other);

        Cli r = Cli.run("train", "--resume", "--out", run.toString(), "--no-progress")
                .ok();
        assertTrue(r.out().contains("Resuming after epoch 2 of 4"), r.out());
        assertArrayEquals(
                straight(engine), Files.readAllBytes(run.resolve("weights.bin")), "same weights, bit for bit");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "TEMP_CREATED:3",
                "WEIGHTS_WRITTEN:3",
                "WRITTEN:3",
                "MOVED_ASIDE:3",
                "MOVED_IN:3",
                "WEIGHTS_WRITTEN:" + FINAL_SAVE,
                "MOVED_ASIDE:" + FINAL_SAVE,
                "MOVED_IN:" + FINAL_SAVE
            })
    void aRunKilledAtAnyStepOfASaveResumesToTheSameWeights(String killPoint) throws Exception {
        String[] k = killPoint.split(":");
        Path run = tmp.resolve("run");
        killAt(k[0], Integer.parseInt(k[1]), trainArgs("amzn", run, "--backend", "tf"), tmp.resolve("log"));

        if (killPoint.equals("MOVED_IN:" + FINAL_SAVE)) {
            // The final outputs were in place; only the backup of the checkpoint folder is left to drop.
            assertTrue(Files.exists(run.resolve("history.json")));
        }
        Cli r = Cli.run("train", "--resume", "--out", run.toString(), "--no-progress");
        if (killPoint.equals("MOVED_IN:" + FINAL_SAVE)) {
            r.badInput(run + " has no training checkpoint to resume; start a new run without --resume");
        } else {
            r.ok();
        }
        assertArrayEquals(straight("tf"), Files.readAllBytes(run.resolve("weights.bin")), "same weights, bit for bit");
        try (var s = Files.list(tmp)) {
            assertEquals(
                    List.of("log", "run"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no backup, temporary folder or lock is left beside the run");
        }
        try (var s = Files.list(run)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "nothing hidden in the run");
        }
    }

    @Test
    void otherDataAreRefusedUnlessForcedAndAMissingFieldIsOneLine() throws Exception {
        Path csv = tmp.resolve("prices.csv");
        StringBuilder b = new StringBuilder("Date,Close\n");
        for (int d = 0; d < 300; d++) {
            b.append(java.time.LocalDate.of(2020, 1, 1).plusDays(d))
                    .append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.2f", 100 + 10 * Math.sin(d / 9.0) + d / 30.0))
                    .append('\n');
        }
        Files.writeString(csv, b);
        Path run = tmp.resolve("run");
        killAt("BACKUP_DELETED", 2, trainArgs(csv.toString(), run, "--backend", "tf"), tmp.resolve("log"));

        Files.writeString(
                csv, b.toString().replace("2020-03-01,", "2020-03-01,1").replace("\n2020-03-02,", "\n2020-03-02,"));
        Cli.run("train", "--resume", "--out", run.toString())
                .badInput("the data differ from those the run in " + run + " trained on: then " + csv);
        Cli.run("train", "--resume", "--force", "--out", run.toString(), "--no-progress")
                .ok();

        Path second = tmp.resolve("second");
        killAt("BACKUP_DELETED", 2, trainArgs("amzn", second, "--backend", "tf"), tmp.resolve("log2"));
        Path doc = second.resolve("checkpoint/rnn4j.json");
        ObjectNode x = (ObjectNode) SpecJson.parse(Files.readString(doc), doc.toString());
        x.remove("train_args");
        Files.writeString(doc, x.toString());
        Cli.run("train", "--resume", "--out", second.toString()).badInput(doc + " lacks 'train_args'");
    }
}
