package org.rnn4j.zoo.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.evaluation.ForecastStrategy;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import org.rnn4j.zoo.recipe.TextData;
import org.rnn4j.zoo.recipe.WordPreprocessing;

/** The preparation chosen for a spec from its shapes, its data block and the request. */
class TrainingPlanTest {
    @TempDir
    Path tmp;

    private static ModelSpec series(int window, int columns, int outputs) {
        return Sequential.name("s")
                .input(window, columns)
                .add(Layers.lstm(4))
                .add(Layers.dense(outputs))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                .build();
    }

    private static DataRequest request(String data) {
        return DataRequest.none().withData(data);
    }

    private Path csv() throws Exception {
        Path f = tmp.resolve("p.csv");
        StringBuilder b = new StringBuilder("date,open,close,volume\n");
        java.time.LocalDate d = java.time.LocalDate.of(2020, 1, 1);
        for (int i = 0; i < 200; i++) {
            b.append(d.plusDays(i))
                    .append(',')
                    .append(100 + i % 7)
                    .append(',')
                    .append(101 + i % 5)
                    .append(',')
                    .append(1000 + 13 * (i % 11))
                    .append('\n');
        }
        Files.writeString(f, b);
        return f;
    }

    @Test
    void aDenseHOutputIsADirectHStepModel() throws Exception {
        TrainingPlan p = TrainingPlan.forSpec(series(10, 1, 5), null, request(csv().toString()));
        StockPreprocessing pre = (StockPreprocessing) p.data().preprocessing();
        assertEquals(5, pre.horizon());
        assertEquals(ForecastStrategy.DIRECT, pre.strategy());
        assertEquals("close", pre.target());
        assertEquals(
                5,
                ((org.rnn4j.api.data.TensorDataset) p.data().trainingSet()).y().dim(1));
    }

    @Test
    void aOneStepSpecEvaluatesRecursivelyOverTheRequestedHorizon() throws Exception {
        DataRequest r =
                new DataRequest(csv().toString(), null, null, ReadOptions.defaults(), null, null, 3, null, null);
        StockPreprocessing pre = (StockPreprocessing)
                TrainingPlan.forSpec(series(10, 1, 1), null, r).data().preprocessing();
        assertEquals(3, pre.horizon());
        assertEquals(ForecastStrategy.RECURSIVE, pre.strategy());
        DataRequest direct = new DataRequest(
                csv().toString(), null, null, ReadOptions.defaults(), null, null, 3, ForecastStrategy.DIRECT, null);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> TrainingPlan.forSpec(series(10, 1, 1), null, direct));
        assertTrue(e.getMessage().contains("needs a spec whose output is [3]"), e.getMessage());
    }

    @Test
    void aMultiColumnInputTakesItsColumnsFromTheRequestOrTheBlock() throws Exception {
        DataRequest r = new DataRequest(
                csv().toString(),
                "close",
                List.of("open", "close", "volume"),
                ReadOptions.defaults(),
                "none",
                null,
                null,
                null,
                null);
        TrainingPlan p = TrainingPlan.forSpec(series(10, 3, 1), null, r);
        StockPreprocessing pre = (StockPreprocessing) p.data().preprocessing();
        assertEquals(List.of("open", "close", "volume"), pre.columns());
        assertEquals(0, pre.order());
        DataBlock.Series block =
                new DataBlock.Series(null, List.of("volume", "close", "open"), "close", "absolute", 1, null, null);
        StockPreprocessing fromBlock =
                (StockPreprocessing) TrainingPlan.forSpec(series(10, 3, 1), block, request(csv().toString()))
                        .data()
                        .preprocessing();
        assertEquals(List.of("volume", "close", "open"), fromBlock.columns());
        assertEquals(
                "absolute",
                fromBlock.targetTransform().differencing().kind().name().toLowerCase(Locale.ROOT));
    }

    @Test
    void aLargeFileStreamsTheSameWindowsOfEveryColumn() throws Exception {
        DataRequest r = new DataRequest(
                csv().toString(),
                "close",
                List.of("open", "close", "volume"),
                ReadOptions.defaults(),
                null,
                null,
                2,
                ForecastStrategy.DIRECT,
                null);
        TrainingPlan memory = TrainingPlan.forSpec(series(10, 3, 2), null, r);
        List<String> notes = new java.util.ArrayList<>();
        Streaming always = new Streaming(
                0, org.rnn4j.data.cache.CacheFolder.at(tmp.resolve("cache")), (w, i, b, t, n, d) -> {}, notes::add);
        TrainingPlan streamed = TrainingPlan.forSpec(series(10, 3, 2), null, r, always);
        assertTrue(
                streamed.data() instanceof org.rnn4j.zoo.recipe.StreamedStockData,
                streamed.data().toString());
        assertEquals(memory.data().preprocessing(), streamed.data().preprocessing());
        org.rnn4j.api.data.TensorDataset m =
                (org.rnn4j.api.data.TensorDataset) memory.data().trainingSet();
        org.rnn4j.api.data.IndexedDataset s2 =
                (org.rnn4j.api.data.IndexedDataset) streamed.data().trainingSet();
        int[] rows = java.util.stream.IntStream.range(0, m.count()).toArray();
        assertEquals(m.count(), s2.count());
        assertEquals(m.x(), s2.batch(rows).x());
        assertEquals(m.y(), s2.batch(rows).y());
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).startsWith("Built the cache "), notes.get(0));
        assertTrue(streamed.data().describe().endsWith(", streamed from a column cache"));
    }

    @Test
    void aTokenIdSpecIsACharacterModelUnlessTheBlockSaysWords() throws Exception {
        Path text = tmp.resolve("t.txt");
        Files.writeString(text, "the cat sat on the mat and the dog sat on the log\n".repeat(60));
        ModelSpec chars = Sequential.name("c")
                .tokenInput(8)
                .add(Layers.embedding(20, 4))
                .add(Layers.lstm(4))
                .add(Layers.dense(20, Activation.SOFTMAX))
                .compile(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Adam())
                .build();
        TrainingPlan c = TrainingPlan.forSpec(chars, null, request(text.toString()));
        assertEquals("character", ((TextData) c.data()).unit());
        TrainingPlan w =
                TrainingPlan.forSpec(chars, new DataBlock.Text(null, "word", 1, null, null), request(text.toString()));
        assertEquals(20, ((WordPreprocessing) w.data().preprocessing()).vocabularySize());
        ModelSpec small = Sequential.name("small")
                .tokenInput(8)
                .add(Layers.embedding(5, 4))
                .add(Layers.lstm(4))
                .add(Layers.dense(5, Activation.SOFTMAX))
                .compile(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Adam())
                .build();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> TrainingPlan.forSpec(small, null, request(text.toString())));
        assertTrue(
                e.getMessage().contains("distinct characters but small's Embedding takes input_dim 5"), e.getMessage());
    }

    @Test
    void zooTextModelsRefuseSeriesOptions() {
        DataRequest r = new DataRequest(null, "close", null, ReadOptions.defaults(), null, null, null, null, null);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TrainingPlan.forZoo(Zoo.get("char-onehot-lstm"), r));
        assertTrue(e.getMessage().contains("apply to series models; char-onehot-lstm is a text model"), e.getMessage());
    }

    @Test
    void aZooModelIsSizedByItsColumnsAndHorizon() throws Exception {
        DataRequest r = new DataRequest(
                csv().toString(),
                "close",
                List.of("open", "close"),
                ReadOptions.defaults(),
                null,
                null,
                4,
                ForecastStrategy.DIRECT,
                null);
        TrainingPlan p = TrainingPlan.forZoo(Zoo.get("stock-simple-rnn"), withWindowTen(r));
        assertEquals(List.of(50, 2), p.spec().inputShape());
        assertEquals(List.of(4), p.spec().outputShape());
        assertTrue(p.modelExtras().has("preprocessing"));
        assertTrue(p.modelExtras().has("read"));
    }

    private static DataRequest withWindowTen(DataRequest r) {
        return r; // the zoo model's window (50) fits the 200-row file
    }
}
