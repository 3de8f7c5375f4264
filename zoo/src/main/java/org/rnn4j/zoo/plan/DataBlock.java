package org.rnn4j.zoo.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.zoo.recipe.ScalerKind;

/**
 * The optional {@code data} block of an rnn4j spec: how {@code rnn4j train --spec} prepares data
 * for the model when its shapes alone do not say (which columns, which differencing, characters or
 * words). Strict like the rest of the spec: unknown fields are errors naming their JSON path.
 * Every field but {@code kind} may be omitted (then the command line or the default applies).
 *
 * <pre>{@code
 * "data": {"kind": "series", "source": "sp500", "columns": ["open", "high", "low", "close", "volume"],
 *          "target": "close", "differencing": "percent", "order": 1, "scaler": "standard",
 *          "split": {"train": 0.7, "validation": 0.15, "test": 0.15}}
 * "data": {"kind": "text", "source": "kjv", "unit": "word", "stride": 5, "max_chars": 200000}
 * }</pre>
 */
public sealed interface DataBlock permits DataBlock.Series, DataBlock.Text {
    /** The field of the spec that holds the block. */
    String FIELD = "data";

    ObjectNode toJson();

    /**
     * A series model's data.
     *
     * @param differencing {@code none}, {@code absolute} or {@code percent}
     */
    record Series(
            String source,
            List<String> columns,
            String target,
            String differencing,
            Integer order,
            ScalerKind scaler,
            ChronologicalSplit split)
            implements DataBlock {
        public Series {
            columns = columns == null ? null : List.copyOf(columns);
            if (differencing != null) {
                DataRequest.parseDifferencing(differencing, order);
            }
            if (order != null && order < 1) {
                throw new IllegalArgumentException("order must be >= 1, got " + order);
            }
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("kind", "series");
            putText(o, "source", source);
            if (columns != null) {
                ArrayNode a = o.putArray("columns");
                columns.forEach(a::add);
            }
            putText(o, "target", target);
            putText(o, "differencing", differencing);
            if (order != null) {
                o.put("order", order);
            }
            if (scaler != null) {
                o.put("scaler", scaler.jsonName());
            }
            putSplit(o, split);
            return o;
        }
    }

    /**
     * A text model's data.
     *
     * @param unit {@code character} or {@code word}
     */
    record Text(String source, String unit, Integer stride, Integer maxChars, ChronologicalSplit split)
            implements DataBlock {
        public Text {
            if (unit != null && !unit.equals("character") && !unit.equals("word")) {
                throw new IllegalArgumentException("unit must be character or word, got '" + unit + "'");
            }
            if (stride != null && stride < 1) {
                throw new IllegalArgumentException("stride must be >= 1, got " + stride);
            }
            if (maxChars != null && maxChars < 0) {
                throw new IllegalArgumentException("max_chars must be >= 0 (0 = all), got " + maxChars);
            }
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("kind", "text");
            putText(o, "source", source);
            putText(o, "unit", unit);
            if (stride != null) {
                o.put("stride", stride);
            }
            if (maxChars != null) {
                o.put("max_chars", maxChars);
            }
            putSplit(o, split);
            return o;
        }
    }

    private static void putText(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static void putSplit(ObjectNode o, ChronologicalSplit split) {
        if (split != null) {
            ObjectNode s = o.putObject("split");
            s.put("train", split.train());
            s.put("validation", split.validation());
            s.put("test", split.test());
        }
    }

    /** Reads a block; {@code path} is its JSON path ({@code $.data}) for messages. */
    static DataBlock fromJson(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new SpecException(path, "must be an object with a 'kind' (series or text)");
        }
        JsonNode kind = node.get("kind");
        if (kind == null || !kind.isTextual()) {
            throw new SpecException(path + ".kind", "is required: series or text");
        }
        try {
            return switch (kind.asText()) {
                case "series" -> {
                    allow(
                            node,
                            path,
                            "kind",
                            "source",
                            "columns",
                            "target",
                            "differencing",
                            "order",
                            "scaler",
                            "split");
                    String scaler = text(node, path, "scaler");
                    yield new Series(
                            text(node, path, "source"),
                            strings(node, path, "columns"),
                            text(node, path, "target"),
                            text(node, path, "differencing"),
                            integer(node, path, "order"),
                            scaler == null ? null : ScalerKind.fromJson(scaler),
                            split(node, path));
                }
                case "text" -> {
                    allow(node, path, "kind", "source", "unit", "stride", "max_chars", "split");
                    yield new Text(
                            text(node, path, "source"),
                            text(node, path, "unit"),
                            integer(node, path, "stride"),
                            integer(node, path, "max_chars"),
                            split(node, path));
                }
                default ->
                    throw new SpecException(
                            path + ".kind", "unknown kind '" + kind.asText() + "'; known: [series, text]");
            };
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, e.getMessage(), e);
        }
    }

    private static void allow(JsonNode o, String path, String... fields) {
        List<String> allowed = List.of(fields);
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new SpecException(path + "." + f, "unknown field '" + f + "'; known: " + allowed);
            }
        }
    }

    private static String text(JsonNode o, String path, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new SpecException(path + "." + field, "must be a string, got " + v);
        }
        return v.asText();
    }

    private static Integer integer(JsonNode o, String path, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new SpecException(path + "." + field, "must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static List<String> strings(JsonNode o, String path, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.isEmpty()) {
            throw new SpecException(path + "." + field, "must be a non-empty array of column names");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual() || v.get(i).asText().isBlank()) {
                throw new SpecException(path + "." + field + "[" + i + "]", "must be a column name");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    private static ChronologicalSplit split(JsonNode o, String path) {
        JsonNode v = o.get("split");
        if (v == null || v.isNull()) {
            return null;
        }
        String p = path + ".split";
        if (!v.isObject()) {
            throw new SpecException(p, "must be an object {train, validation, test}");
        }
        allow(v, p, "train", "validation", "test");
        double[] f = new double[3];
        String[] names = {"train", "validation", "test"};
        for (int i = 0; i < 3; i++) {
            JsonNode x = v.get(names[i]);
            if (x == null || !x.isNumber()) {
                throw new SpecException(p + "." + names[i], "is required (a fraction)");
            }
            f[i] = x.asDouble();
        }
        try {
            return new ChronologicalSplit(f[0], f[1], f[2]);
        } catch (IllegalArgumentException e) {
            throw new SpecException(
                    p,
                    e.getMessage().toLowerCase(Locale.ROOT).startsWith("split")
                            ? e.getMessage()
                            : "split: " + e.getMessage(),
                    e);
        }
    }
}
