package org.rnn4j.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.NotEmpty;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;

class CharVocabularyTest {

    @Property(tries = 200)
    void encodeThenDecodeGivesTheTextBack(@ForAll @NotEmpty String text) {
        CharVocabulary v = CharVocabulary.fit(text);
        int[] ids = v.encode(text);
        assertEquals(text.codePointCount(0, text.length()), ids.length);
        assertEquals(text, v.decode(ids));
    }

    @Property(tries = 200)
    void idsFollowCodePointOrder(@ForAll @NotEmpty String text) {
        CharVocabulary v = CharVocabulary.fit(text);
        int[] distinct = text.codePoints().distinct().sorted().toArray();
        assertEquals(distinct.length, v.size());
        for (int id = 0; id < distinct.length; id++) {
            assertEquals(distinct[id], v.symbol(id).codePointAt(0));
        }
    }

    @Test
    void theArticlesAbeExample() {
        CharVocabulary v = CharVocabulary.fit("abcde");
        Tensor x = v.oneHot("abe");
        assertArrayEquals(new int[] {1, 3, 5}, x.shape());
        assertArrayEquals(
                new float[] {
                    1, 0, 0, 0, 0, // a
                    0, 1, 0, 0, 0, // b
                    0, 0, 0, 0, 1, // e
                },
                x.floatView());
        Tensor ids = v.ids("abe", "dca");
        assertEquals(DType.INT32, ids.dtype());
        assertArrayEquals(new int[] {2, 3}, ids.shape());
        assertArrayEquals(new int[] {0, 1, 4, 3, 2, 0}, ids.intView());
    }

    @Test
    void handlesCharactersOutsideTheBasicPlane() {
        String text = "a\uD83D\uDE00b"; // a, U+1F600, b
        CharVocabulary v = CharVocabulary.fit(text);
        assertEquals(List.of("a", "b", "\uD83D\uDE00"), v.symbols());
        assertArrayEquals(new int[] {0, 2, 1}, v.encode(text));
    }

    @Test
    void anUnknownCharacterIsAnErrorUnlessAnOovSymbolWasChosen() {
        CharVocabulary strict = CharVocabulary.fit("abc");
        assertEquals(
                "character 'z' (U+007A) at offset 2 is not in the vocabulary of 3 characters; "
                        + "fit the vocabulary on text that contains it, or fit it with an oov symbol",
                assertThrows(IllegalArgumentException.class, () -> strict.encode("abz"))
                        .getMessage());
        assertEquals(
                "character U+000A at offset 0 is not in the vocabulary of 3 characters; "
                        + "fit the vocabulary on text that contains it, or fit it with an oov symbol",
                assertThrows(IllegalArgumentException.class, () -> strict.encode("\n"))
                        .getMessage());

        CharVocabulary lenient = CharVocabulary.fit("abc", "?");
        assertEquals(List.of("?", "a", "b", "c"), lenient.symbols());
        assertArrayEquals(new int[] {1, 3, 0, 0}, lenient.encode("acz\u00e9"));
        assertEquals("ac??", lenient.decode(lenient.encode("acz\u00e9")));
    }

    @Test
    void savesAndLoadsAsJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        CharVocabulary v = CharVocabulary.fit("hello\nworld");
        String text = json.writeValueAsString(v);
        assertEquals("{\"symbols\":[\"\\n\",\"d\",\"e\",\"h\",\"l\",\"o\",\"r\",\"w\"]}", text);
        assertEquals(v, json.readValue(text, CharVocabulary.class));
        CharVocabulary withOov = CharVocabulary.fit("ab", "\uFFFD");
        assertEquals(withOov, json.readValue(json.writeValueAsString(withOov), CharVocabulary.class));
    }

    @Test
    void badVocabulariesAreRefused() {
        assertEquals(
                "char vocabulary symbols must be unique and in ascending code-point order, but 'a' (U+0061) at 1 "
                        + "follows 'b' (U+0062)",
                assertThrows(IllegalArgumentException.class, () -> new CharVocabulary(List.of("b", "a"), null))
                        .getMessage());
        assertEquals(
                "char vocabulary symbol 0 must be exactly one code point, got 'ab'",
                assertThrows(IllegalArgumentException.class, () -> new CharVocabulary(List.of("ab"), null))
                        .getMessage());
        assertEquals(
                "char vocabulary oov symbol '?' must be one code point that is among the symbols",
                assertThrows(IllegalArgumentException.class, () -> new CharVocabulary(List.of("a"), "?"))
                        .getMessage());
        assertEquals(
                "char id must be in [0, 2), got 2; was it produced with another vocabulary?",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> CharVocabulary.fit("ab").decode(new int[] {2}))
                        .getMessage());
    }

    @Test
    void oneHotOfAnyIdTensor() {
        Tensor ids = Tensor.ofInts(new int[] {2, 0}, 2);
        assertEquals(Tensor.of(new float[] {0, 0, 1, 1, 0, 0}, 2, 3), OneHot.encode(ids, 3));
        assertEquals(
                "id 3 at flat position 0 is outside the one-hot depth [0, 3)",
                assertThrows(IllegalArgumentException.class, () -> OneHot.encode(Tensor.ofInts(new int[] {3}, 1), 3))
                        .getMessage());
    }
}
