package org.rnn4j.zoo.recipe;

import java.util.Objects;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.text.CharVocabulary;
import org.rnn4j.data.text.InputEncoding;

/**
 * A character-level recipe, as the article's text example and Keras's char-rnn: the text's
 * characters become ids of a {@link CharVocabulary} (fitted on the whole text, so every character
 * of it has an id), sequences of {@code sequenceLength} characters every {@code stride} characters
 * predict the character after them. Inputs are one-hot {@code [n, sequenceLength, vocab]} or ids
 * {@code [n, sequenceLength]}; targets are ids {@code [n]}. The first {@code maxCharacters} of the
 * text are used (0: all), split chronologically into train / validation / test.
 */
public record TextRecipe(
        int sequenceLength, int stride, InputEncoding input, int maxCharacters, ChronologicalSplit split)
        implements Recipe {

    public TextRecipe {
        if (sequenceLength < 1) {
            throw new IllegalArgumentException("text recipe sequenceLength must be >= 1, got " + sequenceLength);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("text recipe stride must be >= 1, got " + stride);
        }
        Objects.requireNonNull(input, "text recipe input encoding must be set");
        if (maxCharacters < 0) {
            throw new IllegalArgumentException(
                    "text recipe maxCharacters must be >= 0 (0 = all), got " + maxCharacters);
        }
        Objects.requireNonNull(split, "text recipe split must be set");
    }

    public TextRecipe withMaxCharacters(int max) {
        return new TextRecipe(sequenceLength, stride, input, max, split);
    }

    @Override
    public DataKind dataKind() {
        return DataKind.TEXT;
    }

    /** Fits the vocabulary on {@code text} and cuts the three splits. */
    public TextData prepare(String text) {
        return fit(text).windows(text);
    }

    public TextPreprocessing fit(String text) {
        return new TextPreprocessing(CharVocabulary.fit(text), sequenceLength, stride, input, maxCharacters, split);
    }

    /** The first {@code max} code points of {@code text} (all when {@code max} is 0). */
    static String head(String text, int max) {
        if (max == 0 || text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max));
    }
}
