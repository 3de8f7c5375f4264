package org.rnn4j.zoo.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.sampling.TemperatureSampler;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.text.IdSequence;
import org.rnn4j.data.text.InputEncoding;
import org.rnn4j.data.text.WordTokenizer;

/** A fitted {@link WordRecipe}: the tokenizer and the sequence shape. */
public record WordPreprocessing(
        WordTokenizer tokenizer, int sequenceLength, int stride, int maxCharacters, ChronologicalSplit split)
        implements TokenPreprocessing {

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
                this, ids, vocabularySize(), sequenceLength, stride, InputEncoding.IDS, split, "word");
    }

    @Override
    public String unit() {
        return "word";
    }

    @Override
    public void checkSeed(String seed) {
        // Every word can be read: words outside the vocabulary become the unknown-word id.
    }

    @Override
    public String separator() {
        return " ";
    }

    @Override
    public Sizes sizes() {
        return new Sizes(vocabularySize(), vocabularySize());
    }

    /**
     * Samples exactly {@code length} words after {@code seed} (lowercased and split as the
     * tokenizer does; unknown words become {@value WordRecipe#OOV}), joined by single spaces. Each
     * step feeds the last {@code sequenceLength} word ids (left-padded with 0) to the model; padding
     * and ids the tokenizer holds no word for are never drawn. The same {@code random} seed gives
     * the same text.
     *
     * @param model maps {@code [1, sequenceLength]} ids to next-word probabilities {@code [1, vocab]}
     */
    @Override
    public String generate(
            String seed, int length, TemperatureSampler sampler, RandomGenerator random, UnaryOperator<Tensor> model) {
        int printable = Math.min(vocabularySize(), tokenizer.words().size() + 2);
        int[] out = TokenSampling.sample(
                tokenizer.encode(seed),
                sequenceLength,
                0,
                vocabularySize(),
                printable,
                0,
                length,
                sampler,
                random,
                window -> Tensor.ofInts(window, 1, sequenceLength),
                model);
        return tokenizer.decode(out);
    }

    /**
     * Cuts the word ids of a text of any size (a {@code TokenFile.words} cache built with this
     * tokenizer) into train / validation / test datasets made batch by batch: the same sequences
     * {@link #windows(String)} holds as tensors for a small text.
     */
    public StreamedTextData stream(IdSequence ids) {
        return TextPreprocessing.stream(
                this, ids, vocabularySize(), sequenceLength, stride, InputEncoding.IDS, split, "word");
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
