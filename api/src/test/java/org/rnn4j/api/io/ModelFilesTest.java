package org.rnn4j.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightInitializer;

class ModelFilesTest {
    @TempDir
    Path tmp;

    private static final ModelSpec SPEC = Sequential.name("m")
            .input(4, 2)
            .add(Layers.gru(3))
            .add(Layers.dense(1))
            .build();

    private Map<String, Tensor> weights(long seed) {
        return WeightInitializer.initialized(SPEC.weights(), seed).snapshot();
    }

    @Test
    void saveThenLoadGivesTheSameSpecAndWeights() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFiles.save(dir, SPEC, weights(1), null);
        LoadedModel loaded = ModelFiles.load(dir);
        assertEquals(SPEC, loaded.spec());
        assertEquals(weights(1), loaded.weights());
        assertTrue(Files.exists(dir.resolve("weights.bin")));
        assertEquals(SPEC.parameterCount() * 4, Files.size(dir.resolve("weights.bin")));
    }

    @Test
    void aSecondSaveReplacesTheFirstAndLeavesNoTemporaries() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFiles.save(dir, SPEC, weights(1), null);
        ModelFiles.save(dir, SPEC, weights(2), null);
        assertEquals(weights(2), ModelFiles.load(dir).weights());
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "only the model directory remains");
        }
    }

    @Test
    void aFailedSaveLeavesThePreviousSaveIntact() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFiles.save(dir, SPEC, weights(1), null);
        Map<String, Tensor> incomplete = new java.util.HashMap<>(weights(2));
        incomplete.remove("dense/bias");
        assertThrows(IllegalArgumentException.class, () -> ModelFiles.save(dir, SPEC, incomplete, null));
        assertEquals(weights(1), ModelFiles.load(dir).weights());
    }

    @Test
    void aSaveKilledBetweenItsRenamesIsRecoveredFromTheBackup() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFiles.save(dir, SPEC, weights(1), null);
        Files.move(dir, ModelFiles.backupOf(dir));
        assertEquals(weights(1), ModelFiles.load(dir).weights());
    }

    private Path strangerModel(String pathInManifest) throws IOException {
        Path dir = tmp.resolve("stranger");
        ModelFiles.save(dir, SPEC, weights(1), null);
        Files.delete(dir.resolve("rnn4j.json"));
        String json =
                Files.readString(dir.resolve("model.json")).replace("\"weights.bin\"", "\"" + pathInManifest + "\"");
        Files.writeString(dir.resolve("model.json"), json);
        return dir;
    }

    @Test
    void manifestPathsCannotLeaveTheModelFolder() throws IOException {
        SpecException e = assertThrows(SpecException.class, () -> ModelFiles.load(strangerModel("../secret.bin")));
        assertTrue(e.getMessage().contains("must be a plain file name inside the model folder"), e.getMessage());
        e = assertThrows(SpecException.class, () -> ModelFiles.load(strangerModel("/etc/passwd")));
        assertTrue(e.getMessage().contains("no absolute paths"), e.getMessage());
    }

    @Test
    void linksOutOfTheFolderAreRefused() throws IOException {
        Path outside = tmp.resolve("outside.bin");
        Files.write(outside, new byte[(int) SPEC.parameterCount() * 4]);
        Path dir = strangerModel("link.bin");
        Files.createSymbolicLink(dir.resolve("link.bin"), outside);
        SpecException e = assertThrows(SpecException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("is a link that leaves the model folder"), e.getMessage());
    }

    @Test
    void truncatedWeightsAreCaughtBeforeReading() throws IOException {
        Path dir = tmp.resolve("model");
        ModelFiles.save(dir, SPEC, weights(1), null);
        byte[] bin = Files.readAllBytes(dir.resolve("weights.bin"));
        Files.write(dir.resolve("weights.bin"), java.util.Arrays.copyOf(bin, bin.length - 4));
        SpecException e = assertThrows(SpecException.class, () -> ModelFiles.load(dir));
        assertTrue(
                e.getMessage()
                        .contains("hold " + (bin.length - 4) + " bytes but the manifest's shapes need " + bin.length),
                e.getMessage());
    }

    @Test
    void nanWeightsAreReported() throws IOException {
        Map<String, Tensor> w = new java.util.LinkedHashMap<>(weights(1));
        w.put("dense/bias", Tensor.of(new float[] {Float.NaN}, 1));
        Path dir = tmp.resolve("model");
        ModelFiles.save(dir, SPEC, w, null);
        SpecException e = assertThrows(SpecException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("weight 'dense/bias' holds NaN at index 0"), e.getMessage());
    }

    @Test
    void aFolderThatIsNotAModelSaysSo() throws IOException {
        SpecException e = assertThrows(SpecException.class, () -> ModelFiles.load(tmp));
        assertTrue(e.getMessage().contains("is not a model directory: it has no model.json"), e.getMessage());
    }

    @Test
    void nonUtf8AndGarbageFilesGiveOneLine() throws IOException {
        Path f = tmp.resolve("model.json");
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        SpecException e = assertThrows(SpecException.class, () -> ModelFiles.load(f));
        assertTrue(e.getMessage().contains("is not UTF-8 text"), e.getMessage());
        Files.writeString(f, "{\"modelTopology\": ", StandardCharsets.UTF_8);
        e = assertThrows(SpecException.class, () -> ModelFiles.load(f));
        assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void refusesToReplaceAFolderThatIsNotAModel() throws IOException {
        Path dir = tmp.resolve("photos");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("holiday.jpg"), "x");
        IOException e = assertThrows(IOException.class, () -> ModelFiles.save(dir, SPEC, weights(1), null));
        assertTrue(e.getMessage().contains("is not an rnn4j model directory"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("holiday.jpg")));
    }

    @Test
    void modelsAboveTheMemoryLimitAreRefusedWithTheNumber() {
        ModelSpec huge = Sequential.builder()
                .tokenInput(10)
                .add(Layers.embedding(2_000_000, 512))
                .build();
        SpecException e = assertThrows(SpecException.class, () -> ResourceLimits.check(huge));
        assertTrue(
                e.getMessage().contains("has 1024000000 parameters and would need about 16384000000 bytes"),
                e.getMessage());
    }
}
