package org.rnn4j.api.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;

/**
 * Tensors as JSON, the CLI's exchange format: {@code {"shape": [..], "dtype": "float32"|"int32",
 * "data": [flat row-major values]}}. The data length must match the shape.
 */
public final class TensorJson {
    /** Refuse absurd tensors before allocating (about 1 GB of floats). */
    public static final long MAX_ELEMENTS = 1L << 28;

    private TensorJson() {}

    public static Tensor read(Path file) throws IOException {
        return read(SpecJson.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()), file.toString());
    }

    public static Tensor read(JsonNode node, String source) {
        if (!node.isObject()) {
            throw new SpecException("$", source + ": a tensor is an object {\"shape\", \"dtype\", \"data\"}");
        }
        JsonNode shapeNode = node.get("shape");
        JsonNode dataNode = node.get("data");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new SpecException("$.shape", source + ": is required (an array of dimensions)");
        }
        if (dataNode == null || !dataNode.isArray()) {
            throw new SpecException("$.data", source + ": is required (a flat array of numbers)");
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!List.of("shape", "dtype", "data").contains(f)) {
                throw new SpecException(
                        "$." + f, source + ": unknown field '" + f + "'; a tensor has shape, dtype and data");
            }
        }
        int[] shape = new int[shapeNode.size()];
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                throw new SpecException("$.shape[" + i + "]", source + ": must be a non-negative integer, got " + d);
            }
            shape[i] = d.asInt();
            size *= shape[i];
            if (size > MAX_ELEMENTS) {
                throw new SpecException(
                        "$.shape", source + ": shape " + shapeNode + " holds more than " + MAX_ELEMENTS + " values");
            }
        }
        DType dtype;
        try {
            dtype = node.has("dtype") ? DType.fromJson(node.get("dtype").asText()) : DType.FLOAT32;
        } catch (IllegalArgumentException e) {
            throw new SpecException("$.dtype", source + ": " + e.getMessage());
        }
        if (dataNode.size() != size) {
            throw new SpecException(
                    "$.data",
                    source + ": has " + dataNode.size() + " values but shape " + shapeNode + " needs " + size
                            + "; fix the shape or the data");
        }
        if (dtype == DType.FLOAT32) {
            float[] data = new float[(int) size];
            for (int i = 0; i < data.length; i++) {
                JsonNode v = dataNode.get(i);
                if (!v.isNumber()) {
                    throw new SpecException("$.data[" + i + "]", source + ": must be a number, got " + v);
                }
                data[i] = (float) v.asDouble();
            }
            return Tensor.wrap(data, shape);
        }
        int[] data = new int[(int) size];
        for (int i = 0; i < data.length; i++) {
            JsonNode v = dataNode.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new SpecException("$.data[" + i + "]", source + ": must be an int32 token id, got " + v);
            }
            data[i] = v.asInt();
        }
        return Tensor.wrapInts(data, shape);
    }

    public static ObjectNode toJson(Tensor t) {
        ObjectNode o = SpecJson.mapper().createObjectNode();
        ArrayNode shape = o.putArray("shape");
        for (int d : t.shape()) {
            shape.add(d);
        }
        o.put("dtype", t.dtype().jsonName());
        ArrayNode data = o.putArray("data");
        if (t.dtype() == DType.FLOAT32) {
            for (float f : t.floatView()) {
                data.add(f);
            }
        } else {
            for (int i : t.intView()) {
                data.add(i);
            }
        }
        return o;
    }

    public static String write(Tensor t) {
        try {
            return SpecJson.mapper()
                    .writer()
                    .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(toJson(t));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
