package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.History;
import org.rnn4j.bootstrap.Rnn4j;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.window.WindowSpec;
import org.rnn4j.data.window.WindowedDataset;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.evaluation.EvaluationOptions;
import org.rnn4j.zoo.evaluation.Score;
import org.rnn4j.zoo.plan.DataRequest;
import org.rnn4j.zoo.plan.TrainingPlan;
import org.rnn4j.zoo.recipe.PreparedData;

/** The README's library example, as written there, on the shipped S&P 500 data and on each engine. */
class ReadmeExampleIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void theArticlesFirstModelTrainsWithAFallingLoss(String id) throws Exception {
        double[] changes = Differencing.percent().apply(DemoData.sp500().column("close"));
        WindowedDataset windows = WindowedDataset.univariate(changes, WindowSpec.of(50));
        Tensor x = windows.inputs().sliceRows(0, 1000);
        Tensor y = windows.targets().sliceRows(0, 1000).reshape(1000, 1);
        Tensor xTest = windows.inputs().sliceRows(1000, 1100);

        // --- as in the README
        ModelSpec spec = Sequential.name("stock")
                .input(50, 1) // windows of 50 prices, 1 feature
                .add(Layers.simpleRnn(10)) // SimpleRNN(10)
                .add(Layers.dense(1)) // Dense(1), linear
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(), Metric.MAE)
                .build();
        System.out.print(spec.summary()); // Keras's table: 120 + 11 parameters

        try (Backend backend = Rnn4j.backend(id);
                Model model = Model.create(spec, backend)) {
            History history =
                    model.fit(x, y, FitOptions.defaults().withEpochs(5).withValidationSplit(0.1));
            Tensor next = model.predict(xTest); // [n, 1]
            model.save(tmp.resolve("my-model")); // TensorFlow.js layers-model + rnn4j.json
            // ---
            assertArrayEquals(new int[] {100, 1}, next.shape());
            assertTrue(history.last("loss") < history.get("loss").get(0), "the loss falls: " + history.get("loss"));
            assertTrue(history.has("val_loss") && history.has("mae"));
            assertTrue(Files.exists(tmp.resolve("my-model/model.json")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void theHonestForecastingExampleScoresAndSavesWhatEvaluateReads(String id) throws Exception {
        Path dir = tmp.resolve("my-stock-model");
        // --- as in the README (the engine and folder from the test)
        TrainingPlan plan = TrainingPlan.forZoo(Zoo.get("stock-simple-rnn"), DataRequest.none());
        PreparedData data = plan.data(); // train / validation / test sets, scoring
        Score score;
        try (Backend backend = Rnn4j.backend(id);
                Model model = Model.create(plan.spec(), backend)) {
            model.fit(
                    data.trainingSet(),
                    data.validationSet().orElse(null),
                    plan.spec().fit().withEpochs(3),
                    List.of());
            score = data.score(model, EvaluationOptions.defaults());
            score.report().forEach(System.out::println); // the tables and the verdict
            model.save(dir, plan.modelExtras()); // or data.preprocessing().asExtras()
        }
        // ---
        assertTrue(score.report().stream().anyMatch(l -> l.startsWith("Verdict against the naive")));
        Cli evaluate =
                Cli.run("evaluate", "--model", dir.toString(), "--backend", id).ok();
        assertTrue(
                evaluate.out()
                        .contains(String.format(
                                java.util.Locale.ROOT,
                                "Theil's U = %.4f",
                                score.toJson().get("theilsU").asDouble())),
                evaluate.out());
    }
}
