package org.rnn4j.zoo.evaluation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * A next-token model's cross-entropy on held-out text, in nats, bits per token and perplexity.
 *
 * @param unit   what a token is: {@code character} or {@code word}
 * @param tokens the number of predicted tokens
 * @param loss   mean cross-entropy per token in nats (Keras's loss)
 */
public record LanguageModelScore(String unit, int tokens, double loss) {

    public double bitsPerToken() {
        return loss / Math.log(2);
    }

    public double perplexity() {
        return Math.exp(loss);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("split", "test");
        o.put("unit", unit);
        o.put("tokens", tokens);
        o.put("loss", loss);
        o.put("bitsPer" + Character.toUpperCase(unit.charAt(0)) + unit.substring(1), bitsPerToken());
        o.put("perplexity", perplexity());
        return o;
    }

    public String describe() {
        return String.format(
                Locale.ROOT,
                "test loss %.4f nats = %.4f bits per %s, perplexity %.3f (%d %ss)",
                loss,
                bitsPerToken(),
                unit,
                perplexity(),
                tokens,
                unit);
    }
}
