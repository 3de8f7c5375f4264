package org.rnn4j.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.data.cache.BuildProgress;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.data.series.ChronologicalSplit;

class TokenFileTest {
    @TempDir
    Path tmp;

    private CacheFolder cache() {
        return CacheFolder.at(tmp.resolve("cache"));
    }

    /** Random text over {@code alphabet} code points, long enough to cross the reader's 64K-char chunks. */
    private static String text(int[] alphabet, int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.appendCodePoint(alphabet[r.nextInt(alphabet.length)]);
        }
        return b.toString();
    }

    private static int[] ids(TokenFile f) {
        int[] out = new int[f.length()];
        f.ids().read(0, out, 0, out.length);
        return out;
    }

    @Test
    void idsAndVocabularyAreThoseOfTheWholeTextInMemory() throws IOException {
        // ASCII, two-byte, three-byte and supplementary (surrogate pair) characters.
        String text = text(new int[] {'a', 'b', ' ', '\n', 'é', '中', 0x1F600, 0x10348}, 200_000, 1);
        Path file = Files.writeString(tmp.resolve("t.txt"), text);
        TokenFile all = TokenFile.characters(file, 0, cache(), BuildProgress.NONE);
        CharVocabulary expected = CharVocabulary.fit(text);
        assertEquals(expected, all.vocabulary());
        assertArrayEquals(expected.encode(text), ids(all));

        TokenFile head = TokenFile.characters(file, 70_001, cache(), BuildProgress.NONE);
        assertEquals(expected, head.vocabulary(), "the vocabulary of the whole text, as TextRecipe.fit");
        String first = text.substring(0, text.offsetByCodePoints(0, 70_001));
        assertArrayEquals(expected.encode(first), ids(head));
    }

    @Test
    void moreThan256CharactersTakeTwoBytesEach() throws IOException {
        int[] alphabet = new int[700];
        for (int i = 0; i < alphabet.length; i++) {
            alphabet[i] = 0x4E00 + i;
        }
        String text = text(alphabet, 50_000, 2);
        Path file = Files.writeString(tmp.resolve("cjk.txt"), text);
        TokenFile f = TokenFile.characters(file, 0, cache(), BuildProgress.NONE);
        assertArrayEquals(CharVocabulary.fit(text).encode(text), ids(f));
        assertTrue(Files.size(f.path()) < 2L * 50_000 + 16 * 1024, "two bytes per character plus the vocabulary");
    }

    /** What WordRecipe.fit(text) does in memory: split the head, fit on the training words, keep the top ones. */
    private static WordTokenizer fitInMemory(String head, TokenizerOptions options, double train, int keep) {
        WordTokenizer splitter = new WordTokenizer(options, java.util.List.of());
        java.util.List<String> words = splitter.split(head);
        int trainEnd = new ChronologicalSplit(train, 1 - train, 0)
                .boundaries(words.size())
                .trainEnd();
        WordTokenizer all = WordTokenizer.fit(java.util.List.of(String.join(" ", words.subList(0, trainEnd))), options);
        return new WordTokenizer(
                options, all.words().subList(0, Math.min(all.words().size(), keep)));
    }

    @Test
    void wordIdsAndTokenizerAreThoseOfTheTextInMemory() throws IOException {
        // Capitals, punctuation, newlines, Greek (final sigma), Turkish dotted capital I, a literal <unk>.
        String[] vocabulary = {
            "The",
            "lord",
            "SAID",
            "unto",
            "moses,",
            "and",
            "ΟΔΟΣ",
            "İstanbul",
            "<unk>",
            "a",
            "b",
            "c",
            "d\n",
            "e.",
            "f;",
            "g",
            "h",
            "i",
            "j",
            "k"
        };
        SplittableRandom r = new SplittableRandom(4);
        StringBuilder b = new StringBuilder();
        while (b.length() < 300_000) {
            // A skewed draw, so counts differ and ties are broken by first appearance.
            int w = Math.min(r.nextInt(vocabulary.length), r.nextInt(vocabulary.length));
            b.append(vocabulary[w]).append(r.nextInt(7) == 0 ? "\n" : " ");
        }
        String text = b.toString();
        Path file = Files.writeString(tmp.resolve("words.txt"), text);
        TokenizerOptions options = TokenizerOptions.defaults().withNumWords(12).withOovToken("<unk>");
        ChronologicalSplit split = new ChronologicalSplit(0.8, 0.1, 0.1);
        for (int max : new int[] {0, 123_457}) {
            TokenFile f = TokenFile.words(file, max, options, split, 10, cache(), BuildProgress.NONE);
            String head = max == 0 ? text : text.substring(0, text.offsetByCodePoints(0, max));
            WordTokenizer expected = fitInMemory(head, options, 0.8, 10);
            assertEquals(expected, f.tokenizer(), "max " + max);
            assertArrayEquals(expected.encode(head), ids(f), "max " + max);
        }
    }

    @Test
    void reusedUntilTheTextChanges() throws IOException {
        Path file = Files.writeString(tmp.resolve("t.txt"), "abcabc");
        assertTrue(TokenFile.characters(file, 0, cache(), BuildProgress.NONE).wasBuilt());
        assertFalse(TokenFile.characters(file, 0, cache(), BuildProgress.NONE).wasBuilt());
        Files.writeString(file, "abcabcd");
        TokenFile changed = TokenFile.characters(file, 0, cache(), BuildProgress.NONE);
        assertTrue(changed.rebuildReason().startsWith("the source's size changed"), changed.rebuildReason());
        assertEquals(4, changed.vocabulary().size());
    }

    @Test
    void textThatIsNotUtf8IsRefusedWithoutACacheFile() throws IOException {
        Path file = tmp.resolve("latin1.txt");
        Files.write(file, "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1));
        assertThrows(CharacterCodingException.class, () -> TokenFile.characters(file, 0, cache(), BuildProgress.NONE));
        try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
            assertTrue(s.allMatch(p -> p.toString().endsWith(".lock")));
        }
    }
}
