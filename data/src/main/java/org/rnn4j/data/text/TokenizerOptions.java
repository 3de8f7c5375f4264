package org.rnn4j.data.text;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Settings of a {@link WordTokenizer}, named and defaulted as in Keras's {@code Tokenizer}.
 *
 * @param numWords  keep ids below this number, i.e. the {@code numWords - 1} most frequent words
 *                  (the oov id counts as one); {@code null} keeps every word
 * @param oovToken  the word that stands for any out-of-vocabulary word, id 1; {@code null} drops
 *                  unknown words instead
 * @param lowercase lowercase text before splitting
 * @param filters   characters replaced by spaces before splitting (Keras's default punctuation set)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenizerOptions(Integer numWords, String oovToken, boolean lowercase, String filters) {
    /** Keras's default {@code filters}: punctuation, tab and newline (the apostrophe is kept). */
    public static final String KERAS_FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

    public TokenizerOptions {
        if (numWords != null && numWords < 1) {
            throw new IllegalArgumentException("tokenizer.numWords must be >= 1 or absent, got " + numWords);
        }
        if (oovToken != null && (oovToken.isEmpty() || oovToken.contains(" "))) {
            throw new IllegalArgumentException(
                    "tokenizer.oovToken must be one non-empty word without spaces, got '" + oovToken + "'");
        }
        Objects.requireNonNull(filters, "tokenizer.filters must be set (use \"\" for none)");
        if (filters.indexOf(' ') >= 0) {
            throw new IllegalArgumentException(
                    "tokenizer.filters must not contain a space, which already splits words");
        }
    }

    /** Keras's defaults: every word kept, no oov token, lowercase, the default filters. */
    public static TokenizerOptions defaults() {
        return new TokenizerOptions(null, null, true, KERAS_FILTERS);
    }

    public TokenizerOptions withNumWords(int numWords) {
        return new TokenizerOptions(numWords, oovToken, lowercase, filters);
    }

    public TokenizerOptions withOovToken(String oovToken) {
        return new TokenizerOptions(numWords, oovToken, lowercase, filters);
    }

    public TokenizerOptions withLowercase(boolean lowercase) {
        return new TokenizerOptions(numWords, oovToken, lowercase, filters);
    }

    public TokenizerOptions withFilters(String filters) {
        return new TokenizerOptions(numWords, oovToken, lowercase, filters);
    }
}
