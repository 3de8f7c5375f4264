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
public sealed interface Preprocessing permits StockPreprocessing, TokenPreprocessing {

    /** The field of {@code rnn4j.json} that holds the preprocessing. */
    String EXTRAS_FIELD = "preprocessing";

    ObjectMapper MAPPER = SpecJson.mapper();

    List<String> KINDS = List.of(StockPreprocessing.KIND, TextPreprocessing.KIND, WordPreprocessing.KIND);

    String kind();

    ObjectNode toJson();

    /**
     * The model's input width and output units this preprocessing feeds: {@code features} is the
     * last input dimension of float inputs (columns of a series, the vocabulary of one-hot text) or
     * the Embedding's {@code input_dim} for token ids; {@code outputs} the last Dense layer's units.
     */
    record Sizes(int features, int outputs) {}

    Sizes sizes();

    /** This as a series preprocessing; an error naming {@code command} when it is a text model's. */
    default StockPreprocessing asSeries(String command) {
        if (this instanceof StockPreprocessing s) {
            return s;
        }
        throw new IllegalArgumentException("a '" + kind() + "' (text) model but " + command
                + " needs a series model (train one with --zoo stock-simple-rnn, stock-lstm, ...)");
    }

    /** This as a text preprocessing; an error naming {@code command} when it is a series model's. */
    default TokenPreprocessing asText(String command) {
        if (this instanceof TokenPreprocessing t) {
            return t;
        }
        throw new IllegalArgumentException("a '" + kind() + "' (series) model but " + command
                + " needs a text model (char or word; train one with --zoo char-embedding-lstm or"
                + " word-embedding-lstm)");
    }

    /** {@code {"preprocessing": toJson()}}: the extras to give {@code Model.save} so that evaluate, forecast and generate can read raw data for the model. */
    default ObjectNode asExtras() {
        ObjectNode o = MAPPER.createObjectNode();
        o.set(EXTRAS_FIELD, toJson());
        return o;
    }

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
        allowOnlyAt(o, "$." + EXTRAS_FIELD, fields);
    }

    static void allowOnlyAt(JsonNode o, String path, String... fields) {
        if (o == null || !o.isObject()) {
            throw new SpecException(path, "must be an object");
        }
        List<String> allowed = List.of(fields);
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new SpecException(path + "." + f, "unknown field '" + f + "'; allowed: " + allowed);
            }
        }
    }

    static String requireText(JsonNode o, String field) {
        return requireText(o, "$." + EXTRAS_FIELD, field);
    }

    static String requireText(JsonNode o, String path, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new SpecException(path + "." + field, "is required (a string)");
        }
        return v.asText();
    }

    static int requireInt(JsonNode o, String field) {
        return requireInt(o, "$." + EXTRAS_FIELD, field);
    }

    static int requireInt(JsonNode o, String path, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new SpecException(path + "." + field, "is required (an integer)");
        }
        return v.asInt();
    }

    static <T> T convert(JsonNode o, String field, Class<T> type) {
        return convert(o, "$." + EXTRAS_FIELD, field, type);
    }

    static <T> T convert(JsonNode o, String path, String field, Class<T> type) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new SpecException(path + "." + field, "is required");
        }
        try {
            return MAPPER.treeToValue(v, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage()
                    : e.getMessage();
            throw new SpecException(path + "." + field, firstLine(msg), e);
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
