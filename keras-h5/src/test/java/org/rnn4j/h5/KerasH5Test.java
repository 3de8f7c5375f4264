package org.rnn4j.h5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.conformance.OracleCases;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.tensor.Tensor;

/**
 * The HDF5 files under test resources were written by keras-h5/scripts/make_test_files.py
 * (h5py) in Keras's layouts from the TensorFlow.js reference cases; each must yield exactly the
 * reference case's weights.
 */
class KerasH5Test {
    static final List<String> CASES = List.of(
            "lstm_seq_stack",
            "bidirectional_lstm_concat",
            "gru_reset_after",
            "embedding_lstm_softmax",
            "simple_rnn_stack");

    @TempDir
    Path tmp;

    private Path resource(String name) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, OracleCases.bytes("h5/" + name));
        return p;
    }

    private static LoadedModel reference(String c) {
        return OracleCases.model("oracle/cases/" + c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"keras3.weights.h5", "keras2.weights.h5"})
    void weightFilesMapOntoKerasNames(String kind) throws IOException {
        for (String c : CASES) {
            LoadedModel ref = reference(c);
            Map<String, Tensor> w = KerasH5.readWeights(resource(c + "." + kind), ref.spec());
            assertEquals(ref.weights(), w, c + " " + kind);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"legacy.h5", "keras"})
    void wholeModelFilesCarryTheirArchitecture(String kind) throws IOException {
        for (String c : CASES) {
            LoadedModel ref = reference(c);
            LoadedModel loaded = KerasH5.load(resource(c + "." + kind));
            assertEquals(ref.spec().layers(), loaded.spec().layers(), c);
            assertEquals(ref.weights(), loaded.weights(), c + " " + kind);
        }
    }

    @Test
    void weightsOfAnotherModelAreRefusedWithTheShapes() throws IOException {
        LoadedModel other = reference("lstm_seq_stack");
        SpecException e = assertThrows(
                SpecException.class,
                () -> KerasH5.readWeights(resource("gru_reset_after.keras3.weights.h5"), other.spec()));
        assertTrue(e.getMessage().contains("has no group layers/lstm"), e.getMessage());
    }

    @Test
    void notHdf5AndWeightsOnlyFilesSaySo() throws IOException {
        Path junk = tmp.resolve("junk.h5");
        Files.writeString(junk, "hello");
        SpecException e = assertThrows(SpecException.class, () -> KerasH5.load(junk));
        assertTrue(e.getMessage().contains("is not an HDF5 file"), e.getMessage());
        e = assertThrows(SpecException.class, () -> KerasH5.load(resource("lstm_seq_stack.keras2.weights.h5")));
        assertTrue(e.getMessage().contains("holds weights only (no model_config)"), e.getMessage());
    }

    @Test
    void zipBombsAreRefusedWithoutExtracting() throws IOException {
        Path bomb = tmp.resolve("bomb.keras");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bomb))) {
            z.putNextEntry(new ZipEntry("../../config.json"));
            z.write("{}".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("model.weights.h5"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        SpecException e = assertThrows(SpecException.class, () -> KerasH5.load(bomb));
        assertTrue(e.getMessage().contains("expands more than 200x"), e.getMessage());
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "nothing was extracted");
        }
    }

    @Test
    void archivesWithoutTheirPartsSaySo() throws IOException {
        Path empty = tmp.resolve("empty.keras");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(empty))) {
            z.putNextEntry(new ZipEntry("metadata.json"));
            z.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        SpecException e = assertThrows(SpecException.class, () -> KerasH5.load(empty));
        assertTrue(e.getMessage().contains("needs config.json and model.weights.h5"), e.getMessage());
    }
}
