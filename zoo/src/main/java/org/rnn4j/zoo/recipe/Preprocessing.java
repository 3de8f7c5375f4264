package org.rnn4j.zoo.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.json.SpecJson;

/**
 * The fitted state of a {@link Recipe}: what a saved model needs to read raw data again. Stored
 * under {@value #EXTRAS_FIELD} in a model's {@code rnn4j.json} as an object with a {@code kind}
 * from a closed list ({@value StockPreprocessing#KIND}, {@value TextPreprocessing#KIND},
 * {@value WordPreprocessing#KIND}).
 */
public sealed interface Preprocessing permits StockPreprocessing, TextPreprocessing, WordPreprocessing {

    /** The field of {@code rnn4j.json} that holds the preprocessing. */
    String EXTRAS_FIELD = "preprocessing";

    ObjectMapper MAPPER = SpecJson.mapper();

    List<String> KINDS = List.of(StockPreprocessing.KIND, TextPreprocessing.KIND, WordPreprocessing.KIND);

    String kind();

    ObjectNode toJson();

    /** Reads what {@link #toJson()} wrote; a bad document is a {@link SpecException} naming the field. */
    static Preprocessing fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new SpecException("$." + EXTRAS_FIELD, "must be an object with a 'kind'");
        }
        String kind = node.path("kind").asText("");
        try {
            return switch (kind) {
                case StockPreprocessing.KIND -> StockPreprocessing.fromJson(node);
                case TextPreprocessing.KIND -> TextPreprocessing.fromJson(node);
                case WordPreprocessing.KIND -> WordPreprocessing.fromJson(node);
                default ->
                    throw new SpecException(
                            "$." + EXTRAS_FIELD + ".kind",
                            "unknown preprocessing kind '" + kind + "'; known: " + KINDS);
            };
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException("$." + EXTRAS_FIELD, e.getMessage(), e);
        }
    }

    /**
     * The preprocessing saved in a model's {@code rnn4j.json} document, or {@code null} when the
     * model has none (a foreign file or a model trained from a bare spec).
     */
    static Preprocessing fromExtras(JsonNode extras) {
        if (extras == null
                || !extras.has(EXTRAS_FIELD)
                || extras.get(EXTRAS_FIELD).isNull()) {
            return null;
        }
        return fromJson(extras.get(EXTRAS_FIELD));
    }

    static void allowOnly(JsonNode o, String... fields) {
        List<String> allowed = List.of(fields);
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new SpecException(
                        "$." + EXTRAS_FIELD + "." + f, "unknown field '" + f + "'; allowed: " + allowed);
            }
        }
    }

    static String requireText(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new SpecException("$." + EXTRAS_FIELD + "." + field, "is required (a string)");
        }
        return v.asText();
    }

    static int requireInt(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new SpecException("$." + EXTRAS_FIELD + "." + field, "is required (an integer)");
        }
        return v.asInt();
    }

    static <T> T convert(JsonNode o, String field, Class<T> type) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new SpecException("$." + EXTRAS_FIELD + "." + field, "is required");
        }
        try {
            return MAPPER.treeToValue(v, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage()
                    : e.getMessage();
            throw new SpecException("$." + EXTRAS_FIELD + "." + field, firstLine(msg), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid value";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
