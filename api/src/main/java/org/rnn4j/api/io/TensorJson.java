package org.rnn4j.api.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rnn4j.api.input.BoundedInput;
import org.rnn4j.api.input.ForeignReader;
import org.rnn4j.api.input.InputCap;
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

    /**
     * Reads a tensor file of at most {@link InputCap#TENSOR} bytes. The values stream straight into
     * one primitive array (no JSON tree, which costs tens of bytes per value): a first pass finds
     * the shape, dtype and value count, so the array is allocated only once they agree.
     */
    public static Tensor read(Path file) throws IOException {
        byte[] bytes = BoundedInput.readAll(file, InputCap.TENSOR);
        String source = file.toString();
        return ForeignReader.run(source, () -> {
            try {
                return stream(bytes, source);
            } catch (JsonProcessingException e) {
                throw SpecJson.syntaxError(e, source);
            }
        });
    }

    private static Tensor stream(byte[] bytes, String source) throws IOException {
        JsonNode shapeNode = null;
        JsonNode dtypeNode = null;
        long count = -1;
        try (JsonParser p = SpecJson.mapper().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SpecException("$", source + ": a tensor is an object {\"shape\", \"dtype\", \"data\"}");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                switch (f) {
                    case "shape" -> shapeNode = p.readValueAsTree();
                    case "dtype" -> dtypeNode = p.readValueAsTree();
                    case "data" -> {
                        if (t != JsonToken.START_ARRAY) {
                            throw new SpecException("$.data", source + ": is required (a flat array of numbers)");
                        }
                        count = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (p.currentToken().isStructStart()) {
                                throw new SpecException(
                                        "$.data[" + count + "]",
                                        source + ": must be a number, got " + p.readValueAsTree());
                            }
                            count++;
                        }
                    }
                    default ->
                        throw new SpecException(
                                "$." + f, source + ": unknown field '" + f + "'; a tensor has shape, dtype and data");
                }
            }
            if (p.nextToken() != null) {
                throw new SpecException("$", source + ": unexpected content after the tensor object");
            }
        }
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new SpecException("$.shape", source + ": is required (an array of dimensions)");
        }
        if (count < 0) {
            throw new SpecException("$.data", source + ": is required (a flat array of numbers)");
        }
        int[] shape = shape(shapeNode, source);
        DType dtype = dtype(dtypeNode, source);
        long size = Tensor.size(shape);
        if (count != size) {
            throw new SpecException(
                    "$.data",
                    source + ": has " + count + " values but shape " + shapeNode + " needs " + size
                            + "; fix the shape or the data");
        }
        float[] floats = dtype == DType.FLOAT32 ? new float[(int) size] : null;
        int[] ints = dtype == DType.INT32 ? new int[(int) size] : null;
        try (JsonParser p = SpecJson.mapper().createParser(bytes)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (!"data".equals(f)) {
                    p.skipChildren();
                    continue;
                }
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    JsonToken t = p.currentToken();
                    if (floats != null) {
                        if (!t.isNumeric()) {
                            throw new SpecException(
                                    "$.data[" + i + "]", source + ": must be a number, got " + p.readValueAsTree());
                        }
                        floats[i++] = (float) p.getDoubleValue();
                    } else {
                        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                            throw new SpecException(
                                    "$.data[" + i + "]",
                                    source + ": must be an int32 token id, got " + p.readValueAsTree());
                        }
                        ints[i++] = p.getIntValue();
                    }
                }
            }
        }
        return floats != null ? Tensor.wrap(floats, shape) : Tensor.wrapInts(ints, shape);
    }

    private static int[] shape(JsonNode shapeNode, String source) {
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
        return shape;
    }

    private static DType dtype(JsonNode node, String source) {
        try {
            return node != null ? DType.fromJson(node.asText()) : DType.FLOAT32;
        } catch (IllegalArgumentException e) {
            throw new SpecException("$.dtype", source + ": " + e.getMessage());
        }
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
        int[] shape = shape(shapeNode, source);
        long size = Tensor.size(shape);
        DType dtype = dtype(node.get("dtype"), source);
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
