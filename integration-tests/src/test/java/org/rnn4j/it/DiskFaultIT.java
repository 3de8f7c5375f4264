package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightInitializer;

/**
 * A full disk or a read-only output folder is reported, and the previous save stays loadable.
 * Uses a real tiny tmpfs (mount) and the immutable attribute (chattr), which need root; where the
 * machine refuses them the tests are skipped with that reason.
 */
class DiskFaultIT {
    @TempDir
    Path tmp;

    private static final ModelSpec SMALL = Sequential.name("small")
            .input(5, 1)
            .add(Layers.simpleRnn(4))
            .add(Layers.dense(1))
            .build();
    private static final ModelSpec BIG = Sequential.name("small")
            .input(5, 1)
            .add(Layers.lstm(256))
            .add(Layers.dense(1))
            .build();

    private static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Test
    void aFullDiskFailsTheSaveAndKeepsThePreviousOne() throws Exception {
        Path mnt = tmp.resolve("small");
        Files.createDirectories(mnt);
        Assumptions.assumeTrue(
                sh("mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", mnt.toString()) == 0,
                "cannot mount a tiny tmpfs here (needs root with CAP_SYS_ADMIN)");
        try {
            Path dir = mnt.resolve("model");
            Map<String, Tensor> first =
                    WeightInitializer.initialized(SMALL.weights(), 1).snapshot();
            ModelFiles.save(dir, SMALL, first, null);
            IOException e = assertThrows(
                    IOException.class,
                    () -> ModelFiles.save(
                            dir,
                            BIG,
                            WeightInitializer.initialized(BIG.weights(), 2).snapshot(),
                            null));
            assertTrue(String.valueOf(e.getMessage()).contains("No space left on device"), e.toString());
            assertEquals(first, ModelFiles.load(dir).weights(), "the previous save is intact");
            try (var s = Files.list(mnt)) {
                assertEquals(List.of(dir), s.toList(), "no temporary folder is left behind");
            }
            Cli r = Cli.run(
                    "train",
                    "--zoo",
                    "stock-simple-rnn",
                    "--data",
                    "amzn",
                    "--epochs",
                    "1",
                    "--out",
                    mnt.resolve("run").toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("No space left on device"), r.err());
        } finally {
            sh("umount", mnt.toString());
        }
    }

    @Test
    void aReadOnlyFolderFailsTheSaveAndKeepsThePreviousOne() throws Exception {
        Path parent = tmp.resolve("locked");
        Path dir = parent.resolve("model");
        Map<String, Tensor> first =
                WeightInitializer.initialized(SMALL.weights(), 1).snapshot();
        ModelFiles.save(dir, SMALL, first, null);
        Assumptions.assumeTrue(
                sh("chattr", "+i", parent.toString()) == 0, "chattr +i is not available on this file system");
        try {
            IOException e = assertThrows(
                    IOException.class,
                    () -> ModelFiles.save(
                            dir,
                            SMALL,
                            WeightInitializer.initialized(SMALL.weights(), 2).snapshot(),
                            null));
            assertTrue(
                    e.toString().contains("Operation not permitted")
                            || e.toString().contains("AccessDenied"),
                    e.toString());
            assertEquals(first, ModelFiles.load(dir).weights(), "the previous save is intact");
            Cli r = Cli.run(
                    "train", "--zoo", "stock-simple-rnn", "--data", "amzn", "--epochs", "1", "--out", dir.toString());
            assertTrue(r.code() != 0 && r.err().strip().lines().count() == 1, r.err());
            assertEquals(first, ModelFiles.load(dir).weights(), "still intact after the CLI's attempt");
        } finally {
            sh("chattr", "-i", parent.toString());
        }
    }

    /** A tiny tmpfs at {@code mnt}, or the test is skipped where mounting is not allowed. */
    private static void tinyDisk(Path mnt, String size) throws Exception {
        Files.createDirectories(mnt);
        Assumptions.assumeTrue(
                sh("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mnt.toString()) == 0,
                "cannot mount a tiny tmpfs here (needs root with CAP_SYS_ADMIN)");
    }

    private static final String[] TRAIN = {
        "train",
        "--zoo",
        "stock-simple-rnn",
        "--data",
        "amzn",
        "--epochs",
        "3",
        "--seed",
        "5",
        "--backend",
        "tf",
        "--no-progress",
        "--out"
    };

    private static String[] train(Path out) {
        String[] a = java.util.Arrays.copyOf(TRAIN, TRAIN.length + 1);
        a[TRAIN.length] = out.toString();
        return a;
    }

    private static int checkpointEpoch(Path run) throws IOException {
        return ModelFiles.load(run.resolve("checkpoint"))
                .extras()
                .get("checkpoint")
                .get("epoch")
                .asInt();
    }

    /**
     * 20 kB hold one checkpoint but not a second one beside it (a save writes the new one before
     * dropping the old): training stops at epoch 2 naming the file, the checkpoint of epoch 1 is
     * kept, and with space again the run resumes to the same weights as an uninterrupted one.
     */
    @Test
    void aFullDiskMidRunKeepsTheLastCheckpointNamesTheFileAndResumes() throws Exception {
        Path mnt = tmp.resolve("mid");
        tinyDisk(mnt, "20k");
        try {
            Path run = mnt.resolve("run");
            Cli r = Cli.run(train(run));
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(
                    r.err()
                            .startsWith("rnn4j: error: the checkpoint of epoch 2 could not be saved: cannot write "
                                    + run.resolve("checkpoint") + "/"),
                    r.err());
            assertTrue(
                    r.err()
                            .contains(": No space left on device; the checkpoint of epoch 1 in "
                                    + run.resolve("checkpoint") + " is kept, so the run can resume from it"),
                    r.err());
            assertEquals(0, checkpointEpoch(run), "the checkpoint of epoch 1 (0-based 0) is intact");
            assertEquals(0, sh("mount", "-o", "remount,size=2m", mnt.toString()));
            Cli.run("train", "--resume", "--out", run.toString(), "--no-progress")
                    .ok();
            Path straight = tmp.resolve("straight");
            Cli.run(train(straight)).ok();
            assertArrayEquals(
                    Files.readAllBytes(straight.resolve("weights.bin")),
                    Files.readAllBytes(run.resolve("weights.bin")));
        } finally {
            sh("umount", mnt.toString());
        }
    }

    /**
     * 64 kB hold the checkpoints but not the final outputs (two plots): the run fails at the end
     * naming the file, and its last checkpoint is kept (the old run deleted it with the first save).
     */
    @Test
    void aFullDiskAtTheEndKeepsTheLastCheckpointAndNamesTheFile() throws Exception {
        Path mnt = tmp.resolve("end");
        tinyDisk(mnt, "64k");
        try {
            Path run = mnt.resolve("run");
            Cli r = Cli.run(train(run));
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("rnn4j: error: cannot write " + run + "/"), r.err());
            assertTrue(
                    r.err()
                            .contains(": No space left on device; the last checkpoint in " + run.resolve("checkpoint")
                                    + " is kept, so the run can resume from it"),
                    r.err());
            assertEquals(2, checkpointEpoch(run), "the checkpoint of the last epoch");
            try (var s = Files.list(mnt)) {
                assertEquals(List.of(run), s.toList(), "no temporary folder or lock is left");
            }
            assertEquals(0, sh("mount", "-o", "remount,size=2m", mnt.toString()));
            Cli resumed = Cli.run("train", "--resume", "--out", run.toString(), "--no-progress")
                    .ok();
            assertTrue(resumed.out().contains("Resuming after epoch 3 of 3"), resumed.out());
            assertTrue(Files.exists(run.resolve("forecast.png")));
        } finally {
            sh("umount", mnt.toString());
        }
    }
}
