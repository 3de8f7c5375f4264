package org.rnn4j.zoo.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.api.input.BoundedInput;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;

/**
 * An rnn4j spec file with its optional {@link DataBlock} ({@code "data"}). The block is the zoo's
 * business, so it is taken off before the api's strict reader sees the rest; both parts are strict.
 *
 * @param data {@code null} when the spec has no data block
 */
public record SpecFile(ModelSpec spec, DataBlock data) {

    /**
     * Reads {@code file} if it is an rnn4j spec ({@code "format": "rnn4j.spec/1"}); {@code null}
     * for anything else (Keras, TensorFlow.js, HDF5), which the caller reads its own way.
     */
    public static SpecFile readIfRnn4j(Path file) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (Files.isDirectory(file) || !name.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
            return null;
        }
        String json = BoundedInput.readUtf8(file, InputCap.JSON);
        JsonNode root = SpecJson.parse(json, file.toString());
        if (!root.isObject() || !SpecJson.FORMAT.equals(root.path("format").asText(null))) {
            return null;
        }
        return read(root);
    }

    /** Reads an rnn4j spec, data block included. */
    public static SpecFile read(JsonNode root) {
        if (!root.isObject() || !root.has(DataBlock.FIELD)) {
            return new SpecFile(SpecJson.read(root), null);
        }
        ObjectNode rest = ((ObjectNode) root).deepCopy();
        JsonNode block = rest.remove(DataBlock.FIELD);
        DataBlock data = DataBlock.fromJson(block, "$." + DataBlock.FIELD);
        return new SpecFile(SpecJson.read(rest), data);
    }

    /** The spec's JSON with the data block (when there is one) after the api's fields. */
    public ObjectNode toJson() {
        ObjectNode o = SpecJson.toJson(spec);
        if (data != null) {
            o.set(DataBlock.FIELD, data.toJson());
        }
        return o;
    }

    /** {@link #toJson()} pretty-printed. */
    public String write() {
        try {
            return SpecJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a spec always serialises", e);
        }
    }
}
