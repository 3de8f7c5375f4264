package org.rnn4j.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.tensor.Tensor;

/** What a checkpoint must record to be resumed, and what may not change without --force. */
class ResumeTest {
    @TempDir
    Path tmp;

    private static final DataFingerprint DATA = new DataFingerprint(
            "prices.csv", 100, "2024-01-01T00:00:00Z", DataFingerprint.hash(Tensor.of(new float[] {1, 2}, 2)));

    /** A run folder whose checkpoint records {@code engine} and {@link #DATA}, edited by {@code edit}. */
    private Path run(String engine, Consumer<ObjectNode> edit) throws IOException {
        Path run = tmp.resolve("run");
        ObjectNode args = SpecJson.mapper().createObjectNode().put("zoo", "stock-simple-rnn");
        ObjectNode extras = Resume.record(args, engine, DATA);
        extras.setAll(SaveKiller.extras(2));
        edit.accept(extras);
        ModelFiles.save(run.resolve(ModelFiles.CHECKPOINT), SaveKiller.SPEC, SaveKiller.weights(2), extras);
        return run;
    }

    private Resume read(Path run) throws IOException {
        try (RunFolder folder = RunFolder.open(run, "--out")) {
            return Resume.read(folder);
        }
    }

    private String refused(Path run) {
        return assertThrows(IllegalArgumentException.class, () -> read(run)).getMessage();
    }

    @Test
    void theEngineRecordedIsTheOneResumedOnUnlessForced() throws IOException {
        Resume r = read(run("dl4j", x -> {}));
        assertEquals("dl4j", r.engine(null, false), "no --backend: the run's own engine");
        assertEquals("dl4j", r.engine("dl4j", false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.engine("tf", false));
        assertEquals(
                "the run in " + tmp.resolve("run") + " trained on dl4j; continuing on tf would not end with the same"
                        + " weights: drop --backend to continue on dl4j, or add --force to continue on tf",
                e.getMessage());
        assertEquals("tf", r.engine("tf", true));
    }

    @Test
    void otherDataAreRefusedUnlessForced() throws IOException {
        Resume r = read(run("tf", x -> {}));
        r.checkData(new DataFingerprint("prices.csv", 100, "2025-06-01T00:00:00Z", DATA.sha256()), false);
        DataFingerprint other = new DataFingerprint(
                "prices.csv", 120, "2025-06-01T00:00:00Z", DataFingerprint.hash(Tensor.of(new float[] {1, 3}, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.checkData(other, false));
        assertEquals(
                "the data differ from those the run in " + tmp.resolve("run") + " trained on: then prices.csv (100"
                        + " bytes, modified 2024-01-01T00:00:00Z), now prices.csv (120 bytes, modified"
                        + " 2025-06-01T00:00:00Z); resume with the same data, or add --force to continue on these",
                e.getMessage());
        r.checkData(other, true);
    }

    @Test
    void aMissingFieldIsOneLine() throws IOException {
        Path doc = tmp.resolve("run/checkpoint/rnn4j.json");
        assertEquals(
                doc + " lacks 'train_args', so the run cannot be continued (the checkpoint is incomplete or from an"
                        + " older rnn4j); start a new run without --resume",
                refused(run("tf", x -> x.remove(Resume.ARGS))));
        assertEquals(
                doc + " lacks a valid 'checkpoint.slots', so the run cannot be continued (the checkpoint is incomplete"
                        + " or from an older rnn4j); start a new run without --resume",
                refused(run("tf", x -> ((ObjectNode) x.get("checkpoint")).remove("slots"))));
        assertEquals(
                "$.checkpoint.slots.m: " + doc + ": is not base64 float32 data; the checkpoint is corrupt",
                refused(run("tf", x -> ((ObjectNode) x.get("checkpoint").get("slots")).put("m", "@@@"))));
    }

    @Test
    void olderCheckpointsWithoutEngineOrDataNeedForce() throws IOException {
        Resume r = read(run("tf", x -> {
            x.remove(Resume.ENGINE);
            x.remove(Resume.DATA);
        }));
        Path doc = tmp.resolve("run/checkpoint/rnn4j.json");
        assertEquals(
                doc + " does not record the engine the run trained on (an older rnn4j); add --force to continue on"
                        + " the default engine anyway",
                assertThrows(IllegalArgumentException.class, () -> r.engine(null, false))
                        .getMessage());
        assertEquals("dl4j", r.engine("dl4j", true));
        assertThrows(IllegalArgumentException.class, () -> r.checkData(DATA, false));
        r.checkData(DATA, true);
    }

    @Test
    void noCheckpointSaysSo() throws IOException {
        Path run = tmp.resolve("empty-run");
        java.nio.file.Files.createDirectories(run);
        assertEquals(run + " has no training checkpoint to resume; start a new run without --resume", refused(run));
    }
}
