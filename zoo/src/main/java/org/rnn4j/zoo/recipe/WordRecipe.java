package org.rnn4j.zoo.recipe;

import java.util.List;
import java.util.Objects;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.text.TokenizerOptions;
import org.rnn4j.data.text.WordTokenizer;

/**
 * A word-level recipe, as the article's embedding example: a Keras-style tokenizer keeps the
 * {@code numWords - 2} most frequent words of the training split (id 0 = padding, 1 = unknown),
 * and sequences of {@code sequenceLength} word ids every {@code stride} words predict the next
 * word id. Inputs {@code [n, sequenceLength]} int32, targets {@code [n]}.
 */
public record WordRecipe(int numWords, int sequenceLength, int stride, int maxCharacters, ChronologicalSplit split)
        implements Recipe {
    public static final String OOV = "<unk>";

    public WordRecipe {
        if (numWords < 3) {
            throw new IllegalArgumentException(
                    "word recipe numWords must be >= 3 (padding, unknown, one word), got " + numWords);
        }
        if (sequenceLength < 1 || stride < 1 || maxCharacters < 0) {
            throw new IllegalArgumentException(
                    "word recipe needs sequenceLength >= 1, stride >= 1, maxCharacters >= 0; got " + sequenceLength
                            + ", " + stride + ", " + maxCharacters);
        }
        Objects.requireNonNull(split, "word recipe split must be set");
    }

    public WordRecipe withMaxCharacters(int max) {
        return new WordRecipe(numWords, sequenceLength, stride, max, split);
    }

    @Override
    public DataKind dataKind() {
        return DataKind.TEXT;
    }

    public TextData prepare(String text) {
        return fit(text).windows(text);
    }

    /** The tokenizer's settings: Keras's defaults, {@code numWords} and the {@link #OOV} token. */
    public TokenizerOptions tokenizerOptions() {
        return TokenizerOptions.defaults().withNumWords(numWords).withOovToken(OOV);
    }

    /**
     * The fitted preprocessing of a text of any size from its word cache (built with
     * {@link #tokenizerOptions()}, this split and {@code numWords - 2} words kept): the same as
     * {@link #fit(String)} on the text.
     */
    public WordPreprocessing fit(WordTokenizer fittedFromCache) {
        return new WordPreprocessing(fittedFromCache, sequenceLength, stride, maxCharacters, split);
    }

    /** Fits the tokenizer on the training split's words only. */
    public WordPreprocessing fit(String text) {
        TokenizerOptions options = tokenizerOptions();
        String used = TextRecipe.head(text, maxCharacters);
        // Split by words, as windows() does, so no word of the validation or test split shapes the vocabulary.
        List<String> words = new WordTokenizer(options, List.of()).split(used);
        int trainEnd = split.boundaries(words.size()).trainEnd();
        WordTokenizer all = WordTokenizer.fit(List.of(String.join(" ", words.subList(0, trainEnd))), options);
        // Only the kept words matter; saving the rest would bloat rnn4j.json.
        List<String> kept = all.words().subList(0, Math.min(all.words().size(), numWords - 2));
        return new WordPreprocessing(new WordTokenizer(options, kept), sequenceLength, stride, maxCharacters, split);
    }
}
