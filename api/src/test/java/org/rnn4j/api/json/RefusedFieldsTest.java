package org.rnn4j.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.conformance.OracleCases;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.io.TensorJson;
import org.rnn4j.api.layers.BidirectionalSpec;

/** What the readers cannot honour is refused: keys given twice, a Bidirectional backward_layer that is not the mirror. */
class RefusedFieldsTest {
    @TempDir
    Path tmp;

    @Test
    void aDuplicateKeyInASpecNamesTheKeyAndThePath() {
        String spec = """
                {"format": "rnn4j.spec/1", "input": {"shape": [5, 1]},
                 "layers": [{"type": "LSTM", "units": 4, "units": 400}]}""";
        SpecException e = assertThrows(SpecException.class, () -> SpecJson.read(spec, "spec.json"));
        assertEquals(
                "$.layers[0]: spec.json: duplicate key 'units' (line 2, column 49); a key may appear only once in an object",
                e.getMessage());
    }

    @Test
    void duplicateKeysAreRefusedInEveryJsonFileRead() throws IOException {
        Path dir = tmp.resolve("m");
        Files.createDirectories(dir);
        OracleCases.copyCase("oracle/cases/lstm_seq_stack", java.util.List.of("model.json", "weights.bin"), dir);
        String model = Files.readString(dir.resolve("model.json"));
        Files.writeString(dir.resolve("model.json"), model.replaceFirst("\\{", "{\"format\": \"x\", "));
        SpecException e = assertThrows(SpecException.class, () -> ModelFiles.load(dir));
        assertTrue(
                e.getMessage().startsWith("$: " + dir.resolve("model.json") + ": duplicate key 'format'"),
                e.getMessage());

        Path t = tmp.resolve("t.json");
        Files.writeString(t, "{\"shape\": [1], \"data\": [1], \"data\": [2]}");
        e = assertThrows(SpecException.class, () -> TensorJson.read(t));
        assertTrue(e.getMessage().startsWith("$: " + t + ": duplicate key 'data'"), e.getMessage());
    }

    private static ObjectNode bidirectional() {
        return (ObjectNode) OracleCases.json("oracle/cases/bidirectional_lstm_concat/model.json");
    }

    private static ObjectNode wrapper(ObjectNode model) {
        return (ObjectNode)
                model.get("modelTopology").get("config").get("layers").get(0).get("config");
    }

    /** The backward layer Keras 3 writes for a plain Bidirectional(layer): the same config, other direction. */
    private static ObjectNode mirror(ObjectNode wrapper) {
        ObjectNode backward = wrapper.get("layer").deepCopy();
        ObjectNode cfg = (ObjectNode) backward.get("config");
        cfg.put("name", "backward_" + cfg.get("name").asText());
        cfg.put("go_backwards", true);
        return backward;
    }

    @Test
    void theMirroredBackwardLayerKeras3WritesIsAccepted() {
        ObjectNode model = bidirectional();
        ObjectNode w = wrapper(model);
        w.set("backward_layer", mirror(w));
        assertTrue(KerasJson.read(model).layers().get(0) instanceof BidirectionalSpec);
    }

    @Test
    void aBackwardLayerThatIsNotTheMirrorIsRefused() {
        ObjectNode model = bidirectional();
        ObjectNode w = wrapper(model);
        ObjectNode backward = mirror(w);
        ((ObjectNode) backward.get("config")).put("activation", "relu");
        w.set("backward_layer", backward);
        SpecException e = assertThrows(SpecException.class, () -> KerasJson.read(model));
        assertEquals(
                "$.modelTopology.config.layers[0].config.backward_layer.config.activation: Bidirectional's"
                        + " backward_layer has activation string \"relu\" but its layer has string \"tanh\"; rnn4j runs"
                        + " the layer mirrored in both directions, so it cannot honour a different backward_layer",
                e.getMessage());

        backward = mirror(w);
        ((ObjectNode) backward.get("config")).put("go_backwards", false);
        w.set("backward_layer", backward);
        e = assertThrows(SpecException.class, () -> KerasJson.read(model));
        assertTrue(e.getMessage().contains("the backward layer must run the other way"), e.getMessage());

        backward = mirror(w);
        backward.put("class_name", "GRU");
        w.set("backward_layer", backward);
        e = assertThrows(SpecException.class, () -> KerasJson.read(model));
        assertTrue(e.getMessage().contains("backward_layer is a GRU but its layer is a LSTM"), e.getMessage());
    }
}
