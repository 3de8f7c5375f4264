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

    /**
     * A Keras 2 {@code model.save} file keeps its training configuration in a root attribute of its
     * own; it is read (here: Nadam, honoured) instead of being left behind for rnn4j's defaults.
     * The file is written with jHDF: a weightless model needs only the attributes.
     */
    @Test
    void aModelSaveFilesTrainingConfigIsRead() throws IOException {
        Path file = tmp.resolve("model.h5");
        try (io.jhdf.WritableHdfFile h5 = io.jhdf.HdfFile.write(file)) {
            h5.putAttribute("keras_version", "2.15.0");
            h5.putAttribute("model_config", """
                    {"class_name": "Sequential", "config": {"name": "s", "layers": [
                      {"class_name": "Dropout", "config": {"name": "dropout", "batch_input_shape": [null, 3], "rate": 0.5}}]}}""");
            h5.putAttribute("training_config", """
                    {"loss": "mae", "metrics": ["mse"], "optimizer_config": {"class_name": "Nadam",
                     "config": {"learning_rate": 0.002, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07}}}""");
            h5.putAttribute("layer_names", new String[] {"dropout"});
        }
        LoadedModel loaded = KerasH5.load(file);
        assertEquals(
                org.rnn4j.api.compile.Loss.MEAN_ABSOLUTE_ERROR,
                loaded.spec().compile().loss());
        assertEquals(
                new org.rnn4j.api.compile.OptimizerSpec.Nadam(
                        0.002, 0.9, 0.999, 1e-7, org.rnn4j.api.compile.OptimizerSpec.Common.NONE),
                loaded.spec().compile().optimizer());
        assertEquals(
                List.of(org.rnn4j.api.compile.Metric.MSE),
                loaded.spec().compile().metrics());
    }
}
