package org.rnn4j.data.text;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A word tokenizer that gives the same ids as Keras's {@code Tokenizer}: text is lowercased (if
 * asked), every filter character becomes a space, and words are split on spaces. Words are ranked
 * by count, ties by first appearance; id 0 is reserved for padding, the oov token (if any) is id
 * 1 and words follow from the next id. {@code encode} keeps only ids below {@code numWords},
 * mapping the others, and words never seen, to the oov id (or dropping them without an oov token).
 *
 * <p>Saved with a model as JSON: {@code {"options": {...}, "words": [most frequent first]}}.
 */
public final class WordTokenizer {
    private final TokenizerOptions options;
    private final List<String> words;
    private final Map<String, Integer> index;
    private final int firstWordId;

    /**
     * @param options the tokenizer settings
     * @param words   the vocabulary ranked most frequent first, without the oov token, no repeats
     */
    @JsonCreator
    public WordTokenizer(@JsonProperty("options") TokenizerOptions options, @JsonProperty("words") List<String> words) {
        this.options = Objects.requireNonNull(options, "tokenizer.options must be set");
        this.words = List.copyOf(Objects.requireNonNull(words, "tokenizer.words must be set"));
        this.firstWordId = options.oovToken() == null ? 1 : 2;
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < this.words.size(); i++) {
            String w = this.words.get(i);
            if (w.isEmpty() || w.indexOf(' ') >= 0) {
                throw new IllegalArgumentException(
                        "tokenizer word " + i + " must be non-empty without spaces, got '" + w + "'");
            }
            if (w.equals(options.oovToken())) {
                throw new IllegalArgumentException(
                        "tokenizer words must not contain the oov token '" + w + "' (it has id 1)");
            }
            if (map.put(w, firstWordId + i) != null) {
                throw new IllegalArgumentException("tokenizer word '" + w + "' appears twice in the word list");
            }
        }
        this.index = Collections.unmodifiableMap(map);
    }

    /** Fits a vocabulary on {@code texts}, as Keras's {@code fit_on_texts}. */
    public static WordTokenizer fit(List<String> texts, TokenizerOptions options) {
        Objects.requireNonNull(options, "options");
        Map<String, Integer> counts = new LinkedHashMap<>(); // insertion order = first appearance
        for (String text : texts) {
            for (String w : split(text, options)) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        if (options.oovToken() != null) {
            counts.remove(options.oovToken());
        }
        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(counts.entrySet());
        // List.sort is stable, so equal counts keep first-appearance order, as Python's sorted does in Keras.
        ranked.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
        return new WordTokenizer(options, ranked.stream().map(Map.Entry::getKey).toList());
    }

    @JsonProperty("options")
    public TokenizerOptions options() {
        return options;
    }

    /** The vocabulary ranked most frequent first (all fitted words, whatever {@code numWords} is). */
    @JsonProperty("words")
    public List<String> words() {
        return words;
    }

    /**
     * The input dimension an Embedding layer needs: {@code numWords} when set, else the largest id + 1.
     */
    public int vocabularySize() {
        int all = firstWordId + words.size();
        return options.numWords() == null ? all : options.numWords();
    }

    /** The oov id (1); an error when the tokenizer has no oov token. */
    public int oovId() {
        if (options.oovToken() == null) {
            throw new IllegalStateException(
                    "this tokenizer has no oov token; fit it with options.withOovToken(\"<OOV>\")");
        }
        return 1;
    }

    /** The full word index ({@code word -> id}) without the {@code numWords} cut, as Keras's {@code word_index}. */
    public Map<String, Integer> wordIndex() {
        Map<String, Integer> all = new LinkedHashMap<>();
        if (options.oovToken() != null) {
            all.put(options.oovToken(), 1);
        }
        for (int i = 0; i < words.size(); i++) {
            all.put(words.get(i), firstWordId + i);
        }
        return Collections.unmodifiableMap(all);
    }

    /** The words of {@code text} after lowercasing and filtering, as Keras's {@code text_to_word_sequence}. */
    public List<String> split(String text) {
        return split(text, options);
    }

    /** The ids of {@code text}, as Keras's {@code texts_to_sequences} for one text. */
    public int[] encode(String text) {
        List<String> tokens = split(text, options);
        int[] out = new int[tokens.size()];
        int n = 0;
        for (String w : tokens) {
            Integer id = index.get(w);
            if (id != null && (options.numWords() == null || id < options.numWords())) {
                out[n++] = id;
            } else if (options.oovToken() != null) {
                out[n++] = 1;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The ids of each text. */
    public List<int[]> encode(List<String> texts) {
        List<int[]> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(encode(t));
        }
        return out;
    }

    /**
     * The words of {@code ids} joined by single spaces. Padding (id 0) is skipped; the oov id and
     * ids at or above {@code numWords} give the oov token (or are skipped without one), as Keras's
     * {@code sequences_to_texts}. For text whose words are all in the vocabulary,
     * {@code decode(encode(t))} equals {@code String.join(" ", split(t))}.
     */
    public String decode(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= firstWordId + words.size()) {
                throw new IllegalArgumentException("word id " + id + " at position " + i + " is outside [0, "
                        + (firstWordId + words.size()) + "); was it produced with another tokenizer?");
            }
            String word;
            if (id == 0) {
                continue;
            } else if (id < firstWordId || (options.numWords() != null && id >= options.numWords())) {
                word = options.oovToken();
            } else {
                word = words.get(id - firstWordId);
            }
            if (word != null) {
                if (b.length() > 0) {
                    b.append(' ');
                }
                b.append(word);
            }
        }
        return b.toString();
    }

    private static List<String> split(String text, TokenizerOptions options) {
        String s = options.lowercase() ? text.toLowerCase(Locale.ROOT) : text;
        StringBuilder b = new StringBuilder(s.length());
        String filters = options.filters();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(filters.indexOf(c) >= 0 ? ' ' : c);
        }
        List<String> out = new ArrayList<>();
        // Only the space splits, exactly as Keras's text_to_word_sequence (split=" ").
        for (String w : b.toString().split(" ", -1)) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WordTokenizer t && options.equals(t.options) && words.equals(t.words);
    }

    @Override
    public int hashCode() {
        return Objects.hash(options, words);
    }

    @Override
    public String toString() {
        return "WordTokenizer[" + words.size() + " words, vocabularySize " + vocabularySize() + ", " + options + "]";
    }
}
