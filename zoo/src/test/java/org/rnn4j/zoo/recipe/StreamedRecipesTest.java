package org.rnn4j.zoo.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.data.IndexedDataset;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.cache.BuildProgress;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.series.DifferenceKind;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.DoubleSeries;
import org.rnn4j.data.text.IdSequence;
import org.rnn4j.data.text.InputEncoding;
import org.rnn4j.data.text.TokenFile;
import org.rnn4j.zoo.evaluation.ForecastEvaluation;

/** The streamed recipes cut exactly the windows the in-memory recipes cut. */
class StreamedRecipesTest {

    private static Tensor[] all(IndexedDataset d) {
        int[] rows = new int[d.count()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        var b = d.batch(rows);
        return new Tensor[] {b.x(), b.y()};
    }

    private static void sameWindows(StockRecipe recipe, double[] prices) {
        StockData memory = recipe.prepare(prices);
        StockPreprocessing fitted = recipe.fit(DoubleSeries.of(prices));
        assertEquals(memory.preprocessing(), fitted, "same scaler numbers from the streaming passes");
        StockStreams streams = fitted.stream(DoubleSeries.of(prices));
        assertArrayEquals(new Tensor[] {memory.trainX(), memory.trainY()}, all(streams.train()));
        if (memory.hasValidation()) {
            assertArrayEquals(new Tensor[] {memory.validationX(), memory.validationY()}, all(streams.validation()));
        } else {
            assertNull(streams.validation());
        }
        assertArrayEquals(new Tensor[] {memory.testX(), memory.testY()}, all(streams.test()));
        assertEquals(memory.firstTestPriceIndex(), streams.firstTestPriceIndex());
        assertArrayEquals(memory.testActual(), streams.testActual());

        // Scoring from the streamed test split: the same one-step forecasts and the same evaluation.
        Tensor predicted = memory.testY();
        double[] scaled = new double[predicted.size()];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = (float) (predicted.floatView()[i] * 0.9); // what a model outputs: float32
        }
        Tensor scaledTensor = Tensor.of(toFloats(scaled), scaled.length, 1);
        assertArrayEquals(memory.testForecast(scaledTensor), streams.forecast(scaled));
        assertEquals(
                ForecastEvaluation.of(memory.prices(), memory.firstTestPriceIndex(), memory.testForecast(scaledTensor)),
                streams.evaluate(scaled));
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    void theArticlesRecipeOnTheShippedSeries() {
        sameWindows(StockRecipe.article(), DemoData.sp500().column("close"));
    }

    @Test
    void otherDifferencingScalersAndSplits() {
        double[] walk = new double[3_000];
        SplittableRandom r = new SplittableRandom(5);
        walk[0] = 50;
        for (int i = 1; i < walk.length; i++) {
            walk[i] = walk[i - 1] * (1 + (r.nextDouble() - 0.5) / 20);
        }
        ChronologicalSplit noValidation = new ChronologicalSplit(0.8, 0, 0.2);
        sameWindows(StockRecipe.article().withWindow(7).withScaler(ScalerKind.MIN_MAX), walk);
        sameWindows(StockRecipe.article().withScaler(ScalerKind.NONE).withSplit(noValidation), walk);
        sameWindows(
                StockRecipe.article()
                        .withDifferencing(new Differencing(DifferenceKind.ABSOLUTE, 2))
                        .withWindow(20),
                walk);
        sameWindows(StockRecipe.article().withDifferencing(new Differencing(DifferenceKind.PERCENT, 2)), walk);
    }

    @Test
    void aBadPriceAnywhereIsFoundWhileFitting() {
        double[] walk = new double[1_000];
        java.util.Arrays.fill(walk, 10);
        for (int i = 0; i < walk.length; i++) {
            walk[i] += i % 7;
        }
        walk[950] = -1; // in the test split, read only by the checking pass
        IllegalArgumentException memory = assertThrows(
                IllegalArgumentException.class, () -> StockRecipe.article().fit(walk));
        IllegalArgumentException streamed = assertThrows(
                IllegalArgumentException.class, () -> StockRecipe.article().fit(DoubleSeries.of(walk)));
        assertEquals(memory.getMessage(), streamed.getMessage());
    }

    @Test
    void wordSequencesFromAWordCacheAreTheInMemoryOnes(@TempDir Path tmp) throws java.io.IOException {
        String text = DemoData.text(DemoData.KJV).substring(0, 200_000);
        Path file = java.nio.file.Files.writeString(tmp.resolve("kjv.txt"), text);
        WordRecipe recipe = new WordRecipe(300, 20, 5, 150_000, new ChronologicalSplit(0.8, 0.1, 0.1));
        TextData memory = recipe.prepare(text);
        TokenFile words = TokenFile.words(
                file,
                recipe.maxCharacters(),
                recipe.tokenizerOptions(),
                recipe.split(),
                recipe.numWords() - 2,
                CacheFolder.at(tmp.resolve("cache")),
                BuildProgress.NONE);
        WordPreprocessing fitted = recipe.fit(words.tokenizer());
        assertEquals(memory.preprocessing(), fitted);
        TextStreams streams = fitted.stream(words.ids());
        assertArrayEquals(new Tensor[] {memory.trainX(), memory.trainY()}, all(streams.train()));
        assertArrayEquals(new Tensor[] {memory.validationX(), memory.validationY()}, all(streams.validation()));
        assertArrayEquals(new Tensor[] {memory.testX(), memory.testY()}, all(streams.test()));
    }

    @Test
    void textSequencesAreTheInMemoryOnes() {
        String text = DemoData.text(DemoData.KJV).substring(0, 30_000);
        for (InputEncoding enc : InputEncoding.values()) {
            TextRecipe recipe = new TextRecipe(40, 3, enc, 20_000, new ChronologicalSplit(0.8, 0.1, 0.1));
            TextPreprocessing p = recipe.fit(text);
            TextData memory = p.windows(text);
            TextStreams streams = p.stream(IdSequence.of(p.vocabulary().encode(TextRecipe.head(text, 20_000))));
            assertArrayEquals(new Tensor[] {memory.trainX(), memory.trainY()}, all(streams.train()));
            assertArrayEquals(new Tensor[] {memory.validationX(), memory.validationY()}, all(streams.validation()));
            assertArrayEquals(new Tensor[] {memory.testX(), memory.testY()}, all(streams.test()));
        }
    }
}
