package org.rnn4j.it;

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
}
