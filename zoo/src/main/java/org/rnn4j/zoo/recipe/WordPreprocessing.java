package org.rnn4j.zoo.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.text.IdSequence;
import org.rnn4j.data.text.InputEncoding;
import org.rnn4j.data.text.WordTokenizer;

/** A fitted {@link WordRecipe}: the tokenizer and the sequence shape. */
public record WordPreprocessing(
        WordTokenizer tokenizer, int sequenceLength, int stride, int maxCharacters, ChronologicalSplit split)
        implements Preprocessing {

    public static final String KIND = "word";

    public WordPreprocessing {
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(split, "split");
    }

    @Override
    public String kind() {
        return KIND;
    }

    public int vocabularySize() {
        return tokenizer.vocabularySize();
    }

    public TextData windows(String text) {
        int[] ids = tokenizer.encode(TextRecipe.head(text, maxCharacters));
        return TextPreprocessing.cut(
                this, ids, vocabularySize(), sequenceLength, stride, InputEncoding.IDS, split, "words");
    }

    /**
     * Cuts the word ids of a text of any size (a {@code TokenFile.words} cache built with this
     * tokenizer) into train / validation / test datasets made batch by batch: the same sequences
     * {@link #windows(String)} holds as tensors for a small text.
     */
    public TextStreams stream(IdSequence ids) {
        return TextPreprocessing.split(
                this, ids, vocabularySize(), sequenceLength, stride, InputEncoding.IDS, split, "words");
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("kind", KIND);
        o.set("tokenizer", MAPPER.valueToTree(tokenizer));
        o.put("sequenceLength", sequenceLength);
        o.put("stride", stride);
        o.put("maxCharacters", maxCharacters);
        o.set("split", MAPPER.valueToTree(split));
        return o;
    }

    static WordPreprocessing fromJson(JsonNode o) {
        Preprocessing.allowOnly(o, "kind", "tokenizer", "sequenceLength", "stride", "maxCharacters", "split");
        return new WordPreprocessing(
                Preprocessing.convert(o, "tokenizer", WordTokenizer.class),
                Preprocessing.requireInt(o, "sequenceLength"),
                Preprocessing.requireInt(o, "stride"),
                Preprocessing.requireInt(o, "maxCharacters"),
                Preprocessing.convert(o, "split", ChronologicalSplit.class));
    }
}
