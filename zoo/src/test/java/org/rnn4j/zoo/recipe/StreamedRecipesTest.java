package org.rnn4j.zoo.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.Capability;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.data.IndexedDataset;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.cache.BuildProgress;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.series.DifferenceKind;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.SeriesColumns;
import org.rnn4j.data.series.TimeSeries;
import org.rnn4j.data.text.IdSequence;
import org.rnn4j.data.text.InputEncoding;
import org.rnn4j.data.text.TokenFile;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.evaluation.EvaluationOptions;
import org.rnn4j.zoo.evaluation.ForecastStrategy;

/** The streamed recipes cut exactly the windows the in-memory recipes cut, and score the same way. */
class StreamedRecipesTest {

    private static Tensor[] all(Dataset d) {
        IndexedDataset indexed = (IndexedDataset) d;
        int[] rows = new int[indexed.count()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        Batch b = indexed.batch(rows);
        return new Tensor[] {b.x(), b.y()};
    }

    private static Tensor[] tensors(TensorDataset d) {
        return new Tensor[] {d.x(), d.y()};
    }

    /** A model stand-in: the last input of each window, times 0.9, as float32 (one output per horizon step). */
    private static UnaryOperator<Tensor> model(int outputs) {
        return x -> {
            int n = x.dim(0);
            int perRow = x.size() / n;
            float[] out = new float[n * outputs];
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < outputs; o++) {
                    out[i * outputs + o] = x.floatView()[i * perRow + perRow - 1] * 0.9f;
                }
            }
            return Tensor.wrap(out, n, outputs);
        };
    }

    private static void sameWindows(StockRecipe recipe, TimeSeries series) {
        StockData memory = recipe.prepare(series);
        SeriesColumns lazy = SeriesColumns.of(series);
        StockPreprocessing fitted = recipe.fit(lazy);
        assertEquals(memory.preprocessing(), fitted, "the same scalers from the streaming passes");
        StreamedStockData streamed = fitted.stream(lazy);
        assertArrayEquals(tensors(memory.trainingSet()), all(streamed.trainingSet()));
        assertEquals(
                memory.validationSet().isPresent(), streamed.validationSet().isPresent());
        memory.validationSet()
                .ifPresent(v -> assertArrayEquals(
                        tensors(v), all(streamed.validationSet().orElseThrow())));
        assertArrayEquals(tensors(memory.testSet()), all(streamed.testSet()));
        assertArrayEquals(memory.testOrigins(), streamed.testOrigins());
        // Forecasts made a few thousand origins at a time equal those made at once.
        UnaryOperator<Tensor> m = model(fitted.outputs());
        double[][] a = memory.testForecasts(m);
        double[][] b = streamed.testForecasts(m);
        assertEquals(a.length, b.length);
        for (int s = 0; s < a.length; s++) {
            assertArrayEquals(a[s], b[s], "step " + (s + 1));
        }
        assertTrue(streamed.describe().startsWith(memory.describe()), streamed.describe());
    }

    private static TimeSeries walk(int n, long seed, String... columns) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] values = new double[columns.length][n];
        for (int c = 0; c < columns.length; c++) {
            values[c][0] = 50 + 10 * c;
            for (int i = 1; i < n; i++) {
                values[c][i] = values[c][i - 1] * (1 + (r.nextDouble() - 0.5) / 20);
            }
        }
        return TimeSeries.of(List.of(columns), values, List.of());
    }

    @Test
    void theArticlesRecipeOnTheShippedSeries() {
        sameWindows(StockRecipe.article().withColumn("close"), DemoData.sp500().select("close"));
    }

    @Test
    void otherDifferencingScalersSplitsHorizonsAndColumns() {
        TimeSeries one = walk(12_000, 5, "close");
        ChronologicalSplit noValidation = new ChronologicalSplit(0.8, 0, 0.2);
        StockRecipe base = StockRecipe.article().withColumn("close");
        sameWindows(base.withWindow(7).withScaler(ScalerKind.MIN_MAX), one);
        sameWindows(base.withScaler(ScalerKind.NONE).withSplit(noValidation), one);
        sameWindows(
                base.withDifferencing(new Differencing(DifferenceKind.ABSOLUTE, 2))
                        .withWindow(20),
                one);
        sameWindows(base.withDifferencing(null), one);
        sameWindows(base.withHorizon(3, ForecastStrategy.RECURSIVE), one);
        sameWindows(base.withHorizon(4, ForecastStrategy.DIRECT), one);
        TimeSeries three = walk(9_000, 6, "open", "close", "volume");
        sameWindows(
                base.withColumns(List.of("open", "close", "volume"), "close").withHorizon(2, ForecastStrategy.DIRECT),
                three);
    }

    @Test
    void theStreamedScoreIsTheInMemoryScore() {
        TimeSeries series = walk(3_000, 8, "close");
        StockRecipe recipe = StockRecipe.article().withColumn("close");
        StockData memory = recipe.prepare(series);
        StreamedStockData streamed = recipe.fit(SeriesColumns.of(series)).stream(SeriesColumns.of(series));
        EvaluationOptions options = new EvaluationOptions(0.05, 200, 42, 0);
        ModelSpec spec = Zoo.get("stock-simple-rnn").spec(memory.preprocessing());
        try (Model m = Model.create(spec, new FunctionBackend(model(1)))) {
            assertEquals(
                    memory.score(m, options).toJson(),
                    streamed.score(m, options).toJson());
        }
    }

    /** A backend of our own interface whose programs predict with a plain function (no engine). */
    private record FunctionBackend(UnaryOperator<Tensor> f) implements Backend {
        @Override
        public String id() {
            return "function";
        }

        @Override
        public String description() {
            return "a plain Java function";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public Program compile(ModelSpec spec, org.rnn4j.api.backend.RecurrencePolicy policy) {
            return new Program() {
                @Override
                public Tensor predict(Tensor input, WeightStore weights) {
                    return f.apply(input);
                }

                @Override
                public Evaluation evaluate(Tensor input, Tensor target, WeightStore weights) {
                    throw new UnsupportedOperationException("predict only");
                }

                @Override
                public StepResult trainStep(
                        Tensor input, Tensor target, WeightStore weights, Map<String, Tensor> noise) {
                    throw new UnsupportedOperationException("predict only");
                }

                @Override
                public Advance advance(Tensor x, org.rnn4j.api.backend.RecurrentState from, WeightStore w) {
                    throw new UnsupportedOperationException("predict only");
                }

                @Override
                public SegmentResult trainSegment(
                        Tensor x,
                        Tensor y,
                        org.rnn4j.api.backend.RecurrentState from,
                        WeightStore w,
                        Map<String, Tensor> noise,
                        int backwardSteps) {
                    throw new UnsupportedOperationException("predict only");
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void close() {}
    }

    @Test
    void aBadPriceAnywhereIsFoundWhileFitting() {
        double[] walk = new double[1_000];
        for (int i = 0; i < walk.length; i++) {
            walk[i] = 10 + i % 7;
        }
        walk[950] = -1; // in the test split, read only by the checking pass
        TimeSeries series = TimeSeries.of("close", walk);
        StockRecipe recipe = StockRecipe.article().withColumn("close");
        IllegalArgumentException memory = assertThrows(IllegalArgumentException.class, () -> recipe.fit(series));
        IllegalArgumentException streamed =
                assertThrows(IllegalArgumentException.class, () -> recipe.fit(SeriesColumns.of(series)));
        assertEquals(memory.getMessage(), streamed.getMessage());
    }

    @Test
    void textSequencesAreTheInMemoryOnes() {
        String text = DemoData.text(DemoData.KJV).substring(0, 30_000);
        for (InputEncoding enc : InputEncoding.values()) {
            TextRecipe recipe = new TextRecipe(40, 3, enc, 20_000, new ChronologicalSplit(0.8, 0.1, 0.1));
            TextPreprocessing p = recipe.fit(text);
            TextData memory = p.windows(text);
            StreamedTextData streamed = p.stream(IdSequence.of(p.vocabulary().encode(TextRecipe.head(text, 20_000))));
            assertArrayEquals(tensors(memory.trainingSet()), all(streamed.trainingSet()));
            assertArrayEquals(
                    tensors(memory.validationSet().orElseThrow()),
                    all(streamed.validationSet().orElseThrow()));
            assertArrayEquals(tensors(memory.testSet()), all(streamed.testSet()));
            assertFalse(streamed.describe().isEmpty());
        }
    }

    @Test
    void wordSequencesFromAWordCacheAreTheInMemoryOnes(@TempDir Path tmp) throws IOException {
        String text = DemoData.text(DemoData.KJV).substring(0, 200_000);
        Path file = Files.writeString(tmp.resolve("kjv.txt"), text);
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
        StreamedTextData streamed = fitted.stream(words.ids());
        assertArrayEquals(tensors(memory.trainingSet()), all(streamed.trainingSet()));
        assertArrayEquals(
                tensors(memory.validationSet().orElseThrow()),
                all(streamed.validationSet().orElseThrow()));
        assertArrayEquals(tensors(memory.testSet()), all(streamed.testSet()));
    }
}
