package org.rnn4j.zoo.evaluation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A next-token model's cross-entropy on held-out text, in nats, bits per token and perplexity,
 * beside the unigram entropy of the same text: the bits per token of a model that knew the test
 * text's own token frequencies but no context. A model above that line has learnt less than
 * counting letters would give.
 *
 * @param unit        what a token is: {@code character} or {@code word}
 * @param tokens      the number of predicted tokens
 * @param loss        mean cross-entropy per token in nats (Keras's loss)
 * @param unigramBits the entropy of the predicted tokens' own frequencies, in bits per token
 */
public record LanguageModelScore(String unit, int tokens, double loss, double unigramBits) implements Score {

    /** The entropy in bits of the frequencies of {@code ids}: {@code -sum p log2 p}. */
    public static double unigramEntropyBits(int[] ids) {
        if (ids.length == 0) {
            throw new IllegalArgumentException("the unigram entropy needs at least one token");
        }
        Map<Integer, Integer> counts = new HashMap<>();
        for (int id : ids) {
            counts.merge(id, 1, Integer::sum);
        }
        return entropyBits(counts, ids.length);
    }

    /**
     * The entropy in bits of token counts made as {@link #unigramEntropyBits(int[])} makes them
     * ({@code counts.merge(id, 1, Integer::sum)} in token order), for tokens read batch by batch.
     */
    public static double entropyBits(Map<Integer, Integer> counts, long tokens) {
        if (tokens == 0) {
            throw new IllegalArgumentException("the unigram entropy needs at least one token");
        }
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / tokens;
            h -= p * Math.log(p);
        }
        return h / Math.log(2);
    }

    public double bitsPerToken() {
        return loss / Math.log(2);
    }

    public double perplexity() {
        return Math.exp(loss);
    }

    @Override
    public java.util.List<String> report() {
        return java.util.List.of("Test split: " + describe());
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        String unitName = Character.toUpperCase(unit.charAt(0)) + unit.substring(1);
        o.put("split", "test");
        o.put("unit", unit);
        o.put("tokens", tokens);
        o.put("loss", loss);
        o.put("bitsPer" + unitName, bitsPerToken());
        o.put("perplexity", perplexity());
        o.put("unigramBitsPer" + unitName, unigramBits);
        return o;
    }

    public String describe() {
        return String.format(
                Locale.ROOT,
                "test loss %.4f nats = %.4f bits per %s, perplexity %.3f (%d %ss); the unigram entropy of the test"
                        + " text is %.4f bits per %s (%s)",
                loss,
                bitsPerToken(),
                unit,
                perplexity(),
                tokens,
                unit,
                unigramBits,
                unit,
                bitsPerToken() < unigramBits
                        ? "the model uses context"
                        : "the model does no better than the text's own " + unit + " frequencies");
    }
}
