package org.rnn4j.data.text;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import org.rnn4j.api.tensor.Tensor;

/**
 * A character vocabulary: one id per Unicode code point, ids in ascending code-point order, so
 * the same text always gives the same ids. Saved with a model as JSON, e.g.
 * {@code {"symbols": ["\n", " ", "a", "b"]}}, each symbol one code point.
 *
 * <p>A character not in the vocabulary is an error, unless the vocabulary was built with an
 * {@code oov} symbol: then unknown characters map to that symbol's id.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class CharVocabulary {
    private final List<String> symbols;
    private final String oov;
    private final int[] codePoints; // ascending, codePoints[id]
    private final int oovId; // -1: unknown characters are errors

    /**
     * @param symbols single-code-point strings in strictly ascending code-point order
     * @param oov     the symbol unknown characters map to (one of {@code symbols}), or {@code null}
     *                to make unknown characters an error
     */
    @JsonCreator
    public CharVocabulary(@JsonProperty("symbols") List<String> symbols, @JsonProperty("oov") String oov) {
        Objects.requireNonNull(symbols, "char vocabulary symbols must be given");
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException("char vocabulary needs at least one symbol, got none");
        }
        int[] cps = new int[symbols.size()];
        for (int i = 0; i < cps.length; i++) {
            String s = symbols.get(i);
            if (s == null || s.isEmpty() || s.codePointCount(0, s.length()) != 1) {
                throw new IllegalArgumentException("char vocabulary symbol " + i
                        + " must be exactly one code point, got " + (s == null ? "null" : "'" + s + "'"));
            }
            cps[i] = s.codePointAt(0);
            if (i > 0 && cps[i] <= cps[i - 1]) {
                throw new IllegalArgumentException(
                        "char vocabulary symbols must be unique and in ascending code-point order, but "
                                + describe(cps[i]) + " at " + i + " follows " + describe(cps[i - 1]));
            }
        }
        int oovIndex = -1;
        if (oov != null) {
            int cp = oov.isEmpty() ? -1 : oov.codePointAt(0);
            oovIndex = oov.codePointCount(0, oov.length()) == 1 ? Arrays.binarySearch(cps, cp) : -1;
            if (oovIndex < 0) {
                throw new IllegalArgumentException(
                        "char vocabulary oov symbol '" + oov + "' must be one code point that is among the symbols");
            }
        }
        this.symbols = List.copyOf(symbols);
        this.oov = oov;
        this.codePoints = cps;
        this.oovId = oovIndex;
    }

    /** The distinct characters of {@code text}, unknown characters being errors. */
    public static CharVocabulary fit(CharSequence text) {
        return fit(text, null);
    }

    /**
     * The distinct characters of {@code text} plus {@code oovSymbol}, to which unknown characters
     * will map (e.g. {@code "\uFFFD"}); {@code null} makes unknown characters an error.
     */
    public static CharVocabulary fit(CharSequence text, String oovSymbol) {
        TreeSet<Integer> set = new TreeSet<>();
        text.codePoints().forEach(set::add);
        if (oovSymbol != null) {
            if (oovSymbol.codePointCount(0, oovSymbol.length()) != 1) {
                throw new IllegalArgumentException(
                        "oov symbol must be exactly one code point, got '" + oovSymbol + "'");
            }
            set.add(oovSymbol.codePointAt(0));
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("cannot fit a char vocabulary on empty text");
        }
        List<String> symbols = new ArrayList<>(set.size());
        for (int cp : set) {
            symbols.add(new String(Character.toChars(cp)));
        }
        return new CharVocabulary(symbols, oovSymbol);
    }

    /** The symbols in id order. */
    @JsonProperty("symbols")
    public List<String> symbols() {
        return symbols;
    }

    /** The symbol unknown characters map to, or {@code null} when they are errors. */
    @JsonProperty("oov")
    public String oov() {
        return oov;
    }

    /** The number of ids, the last dimension of one-hot tensors. */
    public int size() {
        return codePoints.length;
    }

    /** True when {@code codePoint} has its own id. */
    public boolean contains(int codePoint) {
        return Arrays.binarySearch(codePoints, codePoint) >= 0;
    }

    /** The id of {@code codePoint}; unknown code points map to the oov id or are an error. */
    public int id(int codePoint) {
        int id = Arrays.binarySearch(codePoints, codePoint);
        if (id >= 0) {
            return id;
        }
        if (oovId >= 0) {
            return oovId;
        }
        throw new IllegalArgumentException("character " + describe(codePoint) + " is not in the vocabulary of " + size()
                + " characters; fit the vocabulary on text that contains it, or fit it with an oov symbol");
    }

    /** The symbol of {@code id}. */
    public String symbol(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw new IllegalArgumentException("char id must be in [0, " + codePoints.length + "), got " + id);
        }
        return symbols.get(id);
    }

    /** The ids of the code points of {@code text}, {@code [codePointCount]}. */
    public int[] encode(CharSequence text) {
        int[] ids = new int[(int) text.codePoints().count()];
        int i = 0;
        int offset = 0;
        while (offset < text.length()) {
            int cp = Character.codePointAt(text, offset);
            int id = Arrays.binarySearch(codePoints, cp);
            if (id < 0) {
                if (oovId < 0) {
                    throw new IllegalArgumentException("character " + describe(cp) + " at offset " + offset
                            + " is not in the vocabulary of " + size() + " characters; fit the vocabulary on text "
                            + "that contains it, or fit it with an oov symbol");
                }
                id = oovId;
            }
            ids[i++] = id;
            offset += Character.charCount(cp);
        }
        return ids;
    }

    /** The text of {@code ids}; {@code decode(encode(t)).equals(t)} for text without unknown characters. */
    public String decode(int[] ids) {
        StringBuilder b = new StringBuilder(ids.length);
        for (int id : ids) {
            b.appendCodePoint(codePoints[checkedId(id)]);
        }
        return b.toString();
    }

    /**
     * Equal-length sequences as one-hot rows, {@code [n, time, size()]} float32: row {@code t} of
     * sequence {@code i} has a 1 at the id of its character. With vocabulary {@code a..e},
     * {@code "abe"} gives the rows {@code [1,0,0,0,0], [0,1,0,0,0], [0,0,0,0,1]}.
     */
    public Tensor oneHot(CharSequence... sequences) {
        return OneHot.encode(ids(sequences), size());
    }

    /** Equal-length sequences as ids, {@code [n, time]} int32, for an Embedding layer. */
    public Tensor ids(CharSequence... sequences) {
        if (sequences.length == 0) {
            throw new IllegalArgumentException("give at least one sequence");
        }
        int[] first = encode(sequences[0]);
        int time = first.length;
        int[] data = new int[sequences.length * time];
        System.arraycopy(first, 0, data, 0, time);
        for (int i = 1; i < sequences.length; i++) {
            int[] ids = encode(sequences[i]);
            if (ids.length != time) {
                throw new IllegalArgumentException(
                        "sequences must have the same length to share a tensor, but sequence " + i + " has "
                                + ids.length + " characters and sequence 0 has " + time);
            }
            System.arraycopy(ids, 0, data, i * time, time);
        }
        return Tensor.wrapInts(data, sequences.length, time);
    }

    private int checkedId(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw new IllegalArgumentException("char id must be in [0, " + codePoints.length + "), got " + id
                    + "; was it produced with another vocabulary?");
        }
        return id;
    }

    static String describe(int codePoint) {
        String hex = String.format(Locale.ROOT, "U+%04X", codePoint);
        return Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                ? hex
                : "'" + new String(Character.toChars(codePoint)) + "' (" + hex + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharVocabulary v && symbols.equals(v.symbols) && Objects.equals(oov, v.oov);
    }

    @Override
    public int hashCode() {
        return Objects.hash(symbols, oov);
    }

    @Override
    public String toString() {
        return "CharVocabulary[" + size() + " symbols" + (oov == null ? "" : ", oov " + describe(oov.codePointAt(0)))
                + "]";
    }
}
