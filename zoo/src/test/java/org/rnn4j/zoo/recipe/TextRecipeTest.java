package org.rnn4j.zoo.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.sampling.TemperatureSampler;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.text.InputEncoding;

class TextRecipeTest {
    private static final String TEXT = "abe bea eab abe bea eab abe bea eab abe\n".repeat(5);
    private static final TextRecipe ONE_HOT =
            new TextRecipe(4, 2, InputEncoding.ONE_HOT, 0, new ChronologicalSplit(0.8, 0.1, 0.1));

    /** A fake model giving every vocabulary id the same probability. */
    private static UnaryOperator<Tensor> uniform(int vocab) {
        return x -> {
            float[] p = new float[vocab];
            java.util.Arrays.fill(p, 1f / vocab);
            return Tensor.of(p, 1, vocab);
        };
    }

    @Test
    void oneHotWindowsAsInTheArticle() {
        TextData d = ONE_HOT.prepare(TEXT);
        TextPreprocessing p = (TextPreprocessing) d.preprocessing();
        assertEquals(5, p.vocabulary().size()); // '\n', ' ', a, b, e
        int n = TEXT.length();
        int train = (int) Math.floor(n * 0.8);
        assertArrayEquals(
                new int[] {(train - 5) / 2 + 1, 4, 5}, d.trainingSet().x().shape());
        assertEquals(1, d.trainingSet().y().rank());
        // "abe" one-hot as the article shows: a = [0,0,1,0,0], b = [0,0,0,1,0], e = [0,0,0,0,1] (after '\n', ' ').
        float[] x = d.trainingSet().x().floatView();
        assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1}, java.util.Arrays.copyOf(x, 15));
        assertTrue(d.validationSet().isPresent());
    }

    @Test
    void generatesExactlyNCharactersReproducibly() {
        TextPreprocessing p = ONE_HOT.fit(TEXT);
        TemperatureSampler s = new TemperatureSampler(1.0);
        String a = p.generate("ab", 50, s, new SplittableRandom(7), uniform(5));
        String b = p.generate("ab", 50, s, new SplittableRandom(7), uniform(5));
        String c = p.generate("ab", 50, s, new SplittableRandom(8), uniform(5));
        assertEquals(50, a.codePointCount(0, a.length()));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(a.chars().allMatch(ch -> "\n abe".indexOf(ch) >= 0));
    }

    @Test
    void contextIsLeftPaddedAndFedBack() {
        TextPreprocessing p =
                new TextRecipe(4, 1, InputEncoding.IDS, 0, new ChronologicalSplit(0.8, 0.1, 0.1)).fit(TEXT);
        int[][] seen = new int[2][];
        int[] step = {0};
        String out = p.generate("b", 2, TemperatureSampler.greedy(), new SplittableRandom(1), x -> {
            seen[step[0]++] = x.toIntArray();
            return Tensor.of(new float[] {0, 0, 0, 0, 1}, 1, 5); // always 'e'
        });
        assertEquals("ee", out);
        assertArrayEquals(new int[] {0, 0, 0, 3}, seen[0]); // '\n' padding, then 'b'
        assertArrayEquals(new int[] {0, 0, 3, 4}, seen[1]);
    }

    @Test
    void unknownSeedCharacterIsAnError() {
        TextPreprocessing p = ONE_HOT.fit(TEXT);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> p.generate("xyz", 3, TemperatureSampler.greedy(), new SplittableRandom(1), uniform(5)));
        assertTrue(e.getMessage().contains("not in the vocabulary"), e.getMessage());
    }

    @Test
    void preprocessingSurvivesJson() {
        TextPreprocessing p = ONE_HOT.fit(TEXT);
        assertEquals(p, Preprocessing.fromJson(p.toJson()));
    }

    @Test
    void wordRecipeFitsOnTrainingWordsOnly() {
        String text = "the cat sat on the mat and the dog sat on the log ".repeat(20) + "zebra zebra zebra zebra";
        WordRecipe recipe = new WordRecipe(10, 5, 1, 0, new ChronologicalSplit(0.8, 0.1, 0.1));
        TextData d = recipe.prepare(text);
        WordPreprocessing p = (WordPreprocessing) d.preprocessing();
        assertTrue(!p.tokenizer().words().contains("zebra"), "test-split words must not enter the vocabulary");
        assertEquals(10, p.vocabularySize());
        assertArrayEquals(
                new int[] {5}, java.util.Arrays.copyOfRange(d.trainingSet().x().shape(), 1, 2));
        assertEquals(p, Preprocessing.fromJson(p.toJson()));
    }

    @Test
    void wordModelsGenerateExactlyNWordsOfTheirVocabulary() {
        String text = "the cat sat on the mat and the dog sat on the log ".repeat(20);
        WordPreprocessing p = new WordRecipe(20, 3, 1, 0, new ChronologicalSplit(0.8, 0.1, 0.1)).fit(text);
        // 8 distinct words + padding + <unk> = 10 printable ids of a 20-word output.
        assertEquals(8, p.tokenizer().words().size());
        int[][] seen = new int[4][];
        int[] step = {0};
        String out = p.generate("The CAT", 4, TemperatureSampler.greedy(), new SplittableRandom(1), x -> {
            seen[step[0]++] = x.toIntArray();
            float[] probs = new float[20];
            probs[0] = 0.5f; // padding: never drawn
            probs[15] = 0.3f; // no word has id 15: never drawn
            probs[p.tokenizer().wordIndex().get("dog")] = 0.2f;
            return Tensor.of(probs, 1, 20);
        });
        assertEquals("dog dog dog dog", out);
        int the = p.tokenizer().wordIndex().get("the");
        int cat = p.tokenizer().wordIndex().get("cat");
        assertArrayEquals(new int[] {0, the, cat}, seen[0]); // lowercased, left-padded with 0
        assertEquals(" ", p.separator());
        String sampled = p.generate("", 30, new TemperatureSampler(1.0), new SplittableRandom(3), x -> {
            float[] probs = new float[20];
            java.util.Arrays.fill(probs, 0.05f);
            return Tensor.of(probs, 1, 20);
        });
        assertEquals(30, sampled.split(" ").length);
        assertTrue(
                java.util.Arrays.stream(sampled.split(" "))
                        .allMatch(w -> p.tokenizer().words().contains(w) || w.equals(WordRecipe.OOV)),
                sampled);
    }
}
