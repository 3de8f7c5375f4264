package org.rnn4j.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.tensor.Tensor;

class WordTokenizerTest {
    // The sentences of TensorFlow's "NLP Zero to Hero" tokenizer lesson, whose published Keras outputs
    // are the expected values below.
    private static final List<String> SENTENCES =
            List.of("I love my dog", "I love my cat", "You love my dog!", "Do you think my dog is amazing?");

    @Test
    void matchesKerasWordIndexWithAnOovToken() {
        WordTokenizer t = WordTokenizer.fit(
                SENTENCES, TokenizerOptions.defaults().withNumWords(100).withOovToken("<OOV>"));
        Map<String, Integer> keras = new LinkedHashMap<>();
        keras.put("<OOV>", 1);
        keras.put("my", 2);
        keras.put("love", 3);
        keras.put("dog", 4);
        keras.put("i", 5);
        keras.put("you", 6);
        keras.put("cat", 7);
        keras.put("do", 8);
        keras.put("think", 9);
        keras.put("is", 10);
        keras.put("amazing", 11);
        assertEquals(keras, t.wordIndex());
        assertArrayEquals(new int[] {5, 3, 2, 4}, t.encode("I love my dog"));
        assertArrayEquals(new int[] {8, 6, 9, 2, 4, 10, 11}, t.encode(SENTENCES.get(3)));
        // unseen words map to the oov id 1
        assertArrayEquals(new int[] {5, 1, 3, 2, 4}, t.encode("i really love my dog"));
        assertArrayEquals(new int[] {2, 4, 1, 2, 1}, t.encode("my dog loves my manatee"));
        assertEquals(1, t.oovId());
        assertEquals(100, t.vocabularySize());
    }

    @Test
    void padsLikeKerasPadSequences() {
        WordTokenizer t = WordTokenizer.fit(
                SENTENCES, TokenizerOptions.defaults().withNumWords(100).withOovToken("<OOV>"));
        List<int[]> sequences = t.encode(SENTENCES);
        assertEquals(
                Tensor.ofInts(
                        new int[] {
                            0, 0, 0, 5, 3, 2, 4,
                            0, 0, 0, 5, 3, 2, 7,
                            0, 0, 0, 6, 3, 2, 4,
                            8, 6, 9, 2, 4, 10, 11
                        },
                        4,
                        7),
                PadSequences.pad(sequences));
        assertEquals(
                Tensor.ofInts(
                        new int[] {
                            5, 3, 2, 4, 0,
                            5, 3, 2, 7, 0,
                            6, 3, 2, 4, 0,
                            8, 6, 9, 2, 4
                        },
                        4,
                        5),
                PadSequences.pad(sequences, 5, Side.POST, Side.POST));
        // the default truncation keeps the end
        assertEquals(Tensor.ofInts(new int[] {2, 4, 10, 11}, 1, 4), PadSequences.pad(List.of(sequences.get(3)), 4));
    }

    @Test
    void numWordsKeepsTheMostFrequentAndTiesByFirstAppearance() {
        // counts: b 3, a 2, c 2 (a first), d 1
        List<String> texts = List.of("a b c", "b d c", "a b");
        WordTokenizer noOov =
                WordTokenizer.fit(texts, TokenizerOptions.defaults().withNumWords(3));
        assertEquals(List.of("b", "a", "c", "d"), noOov.words());
        // ids below 3 survive (b=1, a=2); c=3 and d=4 are dropped without an oov token
        assertArrayEquals(new int[] {2, 1}, noOov.encode("a b c d"));
        WordTokenizer withOov = WordTokenizer.fit(
                texts, TokenizerOptions.defaults().withNumWords(3).withOovToken("<unk>"));
        // oov=1, b=2, a=3 (>= 3, so oov), c, d oov
        assertArrayEquals(new int[] {1, 2, 1, 1}, withOov.encode("a b c d"));
        assertEquals("<unk> b <unk> <unk>", withOov.decode(new int[] {0, 1, 2, 3, 4}));
    }

    @Test
    void lowercasesAndStripsKerasPunctuationButKeepsApostrophes() {
        WordTokenizer t = WordTokenizer.fit(List.of("Don't STOP--me,now!\tPlease"), TokenizerOptions.defaults());
        assertEquals(List.of("don't", "stop", "me", "now", "please"), t.split("Don't STOP--me,now!\tPlease"));
        WordTokenizer keepCase =
                WordTokenizer.fit(List.of("A a"), TokenizerOptions.defaults().withLowercase(false));
        assertEquals(List.of("A", "a"), keepCase.words());
    }

    @Property(tries = 200)
    void decodeOfEncodeGivesTheNormalisedText(@ForAll("sentences") List<String> texts) {
        WordTokenizer t = WordTokenizer.fit(texts, TokenizerOptions.defaults());
        for (String text : texts) {
            assertEquals(String.join(" ", t.split(text)), t.decode(t.encode(text)));
        }
    }

    @Provide
    Arbitrary<List<String>> sentences() {
        Arbitrary<String> word =
                Arbitraries.strings().withChars("abcXYZ'!,.").ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> sentence = word.list().ofMinSize(0).ofMaxSize(8).map(ws -> String.join(" ", ws));
        return sentence.list().ofMinSize(1).ofMaxSize(5);
    }

    @Test
    void savesAndLoadsAsJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        WordTokenizer t = WordTokenizer.fit(
                SENTENCES, TokenizerOptions.defaults().withNumWords(1000).withOovToken("<OOV>"));
        WordTokenizer back = json.readValue(json.writeValueAsString(t), WordTokenizer.class);
        assertEquals(t, back);
        assertArrayEquals(t.encode("my dog loves my manatee"), back.encode("my dog loves my manatee"));
    }

    @Test
    void badOptionsAndIdsAreRefused() {
        assertEquals(
                "tokenizer.numWords must be >= 1 or absent, got 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TokenizerOptions.defaults().withNumWords(0))
                        .getMessage());
        WordTokenizer t = WordTokenizer.fit(List.of("a b"), TokenizerOptions.defaults());
        assertEquals(
                "word id 3 at position 1 is outside [0, 3); was it produced with another tokenizer?",
                assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {1, 3}))
                        .getMessage());
        assertEquals(
                "this tokenizer has no oov token; fit it with options.withOovToken(\"<OOV>\")",
                assertThrows(IllegalStateException.class, t::oovId).getMessage());
    }
}
