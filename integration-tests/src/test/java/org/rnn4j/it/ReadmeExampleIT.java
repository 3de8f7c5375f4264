package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
