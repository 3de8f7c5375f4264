package org.rnn4j.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON object read field by field with its path, so every error names where it is. In strict
 * mode {@link #finish()} rejects fields nobody read (rnn4j spec files); lenient readers (Keras
 * files, which carry many fields rnn4j ignores) skip that call.
 */
final class JsonObject {
    private final JsonNode node;
    private final String path;
    private final Set<String> read = new LinkedHashSet<>();

    JsonObject(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new SpecException(path, "expected a JSON object, got " + describe(node));
        }
        this.node = node;
        this.path = path;
    }

    String path() {
        return path;
    }

    String path(String field) {
        return path + "." + field;
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    JsonNode raw(String field) {
        read.add(field);
        return node.get(field);
    }

    String requireString(String field) {
        JsonNode v = raw(field);
        if (v == null || v.isNull()) {
            throw new SpecException(path(field), "is required (a string)");
        }
        if (!v.isTextual()) {
            throw new SpecException(path(field), "must be a string, got " + describe(v));
        }
        return v.asText();
    }

    String optString(String field, String def) {
        return has(field) ? requireString(field) : markDefault(field, def);
    }

    long requireLong(String field) {
        JsonNode v = raw(field);
        if (v == null || v.isNull()) {
            throw new SpecException(path(field), "is required (an integer)");
        }
        if (v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < 1e15) {
            return (long) v.asDouble();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new SpecException(path(field), "must be an integer, got " + describe(v));
        }
        return v.asLong();
    }

    int requireInt(String field) {
        long v = requireLong(field);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new SpecException(path(field), "is out of range: " + v + " (at most " + Integer.MAX_VALUE + ")");
        }
        return (int) v;
    }

    int optInt(String field, int def) {
        return has(field) ? requireInt(field) : markDefault(field, def);
    }

    long optLong(String field, long def) {
        return has(field) ? requireLong(field) : markDefault(field, def);
    }

    double requireDouble(String field) {
        JsonNode v = raw(field);
        if (v == null || v.isNull()) {
            throw new SpecException(path(field), "is required (a number)");
        }
        if (!v.isNumber()) {
            throw new SpecException(path(field), "must be a number, got " + describe(v));
        }
        return v.asDouble();
    }

    double optDouble(String field, double def) {
        return has(field) ? requireDouble(field) : markDefault(field, def);
    }

    boolean optBool(String field, boolean def) {
        if (!has(field)) {
            return markDefault(field, def);
        }
        JsonNode v = raw(field);
        if (!v.isBoolean()) {
            throw new SpecException(path(field), "must be true or false, got " + describe(v));
        }
        return v.asBoolean();
    }

    JsonObject requireObject(String field) {
        JsonNode v = raw(field);
        if (v == null || v.isNull()) {
            throw new SpecException(path(field), "is required (an object)");
        }
        return new JsonObject(v, path(field));
    }

    List<JsonNode> requireArray(String field) {
        JsonNode v = raw(field);
        if (v == null || v.isNull()) {
            throw new SpecException(path(field), "is required (an array)");
        }
        if (!v.isArray()) {
            throw new SpecException(path(field), "must be an array, got " + describe(v));
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /** An int array where JSON null stands for an unknown dimension (-1). */
    List<Integer> requireShape(String field) {
        List<Integer> shape = new ArrayList<>();
        List<JsonNode> items = requireArray(field);
        for (int i = 0; i < items.size(); i++) {
            JsonNode d = items.get(i);
            if (d.isNull()) {
                shape.add(-1);
            } else if (d.isIntegralNumber() && d.canConvertToInt()) {
                shape.add(d.asInt());
            } else {
                throw new SpecException(path(field) + "[" + i + "]", "must be an integer or null, got " + describe(d));
            }
        }
        return shape;
    }

    private <T> T markDefault(String field, T def) {
        read.add(field);
        return def;
    }

    /** The fields with a non-null value that nobody read, in file order. */
    List<String> unread() {
        List<String> out = new ArrayList<>();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!read.contains(name) && !node.get(name).isNull()) {
                out.add(name);
            }
        }
        return out;
    }

    /** Rejects every field that was not read, listing the known ones. */
    void finish() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!read.contains(name)) {
                throw new SpecException(
                        path(name), "unknown field '" + name + "'; known fields here: " + new TreeSet<>(read));
            }
        }
    }

    static String describe(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        String text = v.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + text;
    }
}
