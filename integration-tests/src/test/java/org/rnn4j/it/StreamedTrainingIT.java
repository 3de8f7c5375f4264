package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.History;
import org.rnn4j.bootstrap.Rnn4j;
import org.rnn4j.data.cache.BuildProgress;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.data.csv.ColumnFile;
import org.rnn4j.data.csv.CsvSeriesReader;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.ZooModel;
import org.rnn4j.zoo.recipe.StockData;
import org.rnn4j.zoo.recipe.StockRecipe;
import org.rnn4j.zoo.recipe.StreamedStockData;

/**
 * The same small series trained twice with the same seed, on each engine: from in-memory tensors
 * (the CSV read whole, windows materialised) and from the streamed CSV source (a memory-mapped
 * column file, windows cut batch by batch on the prefetch thread). The batches the training loop
 * receives and the final weights must be identical, not close.
 */
class StreamedTrainingIT {
    @TempDir
    Path tmp;

    private Path csv(int rows) throws IOException {
        Path file = tmp.resolve("walk.csv");
        SplittableRandom r = new SplittableRandom(11);
        double price = 1000;
        double change = 0;
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("date,close\n");
            LocalDate d = LocalDate.of(2001, 1, 1);
            for (int i = 0; i < rows; i++) {
                change = 0.3 * change + (r.nextDouble() - 0.5) / 40; // AR(1) percent changes
                price *= 1 + change;
                w.write(d.plusDays(i) + "," + String.format(Locale.ROOT, "%.4f", price) + "\n");
            }
        }
        return file;
    }

    /** The dataset, and every batch the training loop took from it, in order. */
    private static Dataset recorded(Dataset d, List<Batch> seen) {
        return d.map(b -> {
            seen.add(b);
            return b;
        });
    }

    private record Run(List<Batch> train, List<Batch> validation, Map<String, Tensor> weights, History history) {}

    private static Run train(String engine, ModelSpec spec, Dataset train, Dataset validation, FitOptions fit) {
        List<Batch> t = new ArrayList<>();
        List<Batch> v = new ArrayList<>();
        try (Backend backend = Rnn4j.backend(engine);
                Model model = Model.create(spec, backend, fit.seed())) {
            History h = model.fit(recorded(train, t), recorded(validation, v), fit);
            return new Run(t, v, model.weights(), h);
        }
    }

    private static void sameBatches(List<Batch> expected, List<Batch> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + " batches");
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(expected.get(i).equals(actual.get(i)), what + " batch " + i + " differs");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void streamedAndInMemoryRunsTrainOnTheSameBatchesToTheSameWeights(String engine) throws IOException {
        Path file = csv(1_200);
        CsvSeriesReader reader = CsvSeriesReader.forColumns("close");
        StockRecipe recipe = StockRecipe.article().withColumn("close");
        ZooModel zoo = Zoo.get("stock-simple-rnn");

        StockData memory = recipe.prepare(reader.read(file));
        ColumnFile columns = ColumnFile.of(file, reader, CacheFolder.at(tmp.resolve("cache")), BuildProgress.NONE);
        StreamedStockData streamed = recipe.fit(columns.series()).stream(columns.series());
        assertEquals(memory.preprocessing(), streamed.preprocessing());

        ModelSpec spec = zoo.spec(memory.preprocessing());
        FitOptions fit = spec.fit().withEpochs(3).withSeed(7);
        Run inMemory =
                train(engine, spec, memory.trainingSet(), memory.validationSet().orElseThrow(), fit);
        Run fromFile = train(
                engine, spec, streamed.trainingSet(), streamed.validationSet().orElseThrow(), fit);

        int batchesPerEpoch = (memory.trainingSet().count() + fit.batchSize() - 1) / fit.batchSize();
        assertEquals(3 * batchesPerEpoch, inMemory.train().size());
        sameBatches(inMemory.train(), fromFile.train(), "training");
        sameBatches(inMemory.validation(), fromFile.validation(), "validation");
        assertEquals(inMemory.weights(), fromFile.weights(), "identical final weights");
        assertEquals(inMemory.history(), fromFile.history(), "identical losses and metrics");
        assertTrue(
                inMemory.history().last("loss") < inMemory.history().get("loss").get(0), "it trained");
    }
}
