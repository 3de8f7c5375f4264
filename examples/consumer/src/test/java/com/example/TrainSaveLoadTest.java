package com.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import org.rnn4j.backend.tf.TfBackend;
import org.rnn4j.data.window.WindowSpec;
import org.rnn4j.data.window.WindowedDataset;

/** What an application does with rnn4j: windows of a series, an LSTM, fit, save, load, predict. */
class TrainSaveLoadTest {
    @TempDir
    Path tmp;

    @Test
    void trainsSavesAndLoadsAModel() throws Exception {
        double[] series = new double[400];
        for (int i = 0; i < series.length; i++) {
            series[i] = Math.sin(0.2 * i);
        }
        WindowedDataset windows = WindowedDataset.univariate(series, WindowSpec.of(12));
        Tensor x = windows.inputs();
        Tensor y = windows.targets().reshape(windows.count(), 1);

        ModelSpec spec = Sequential.name("sine")
                .input(12, 1)
                .add(Layers.lstm(8))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(0.01), Metric.MAE)
                .build();
        try (Backend backend = new TfBackend();
                Model model = Model.create(spec, backend)) {
            History history = model.fit(x, y, FitOptions.defaults().withEpochs(5));
            assertTrue(history.last("loss") < history.get("loss").get(0), "the loss falls: " + history.get("loss"));
            Tensor before = model.predict(x);
            model.save(tmp.resolve("sine-model"));
            try (Model loaded = Model.load(tmp.resolve("sine-model"), backend)) {
                assertArrayEquals(before.floatView(), loaded.predict(x).floatView(), "same weights, same outputs");
            }
        }
    }

    @Test
    void rnn4jComesFromTheRepositoryTheBuildInstalledInto() throws Exception {
        String repo = System.getProperty("rnn4j.repo", "");
        assumeFalse(repo.isEmpty(), "built outside ConsumerProjectIT: any repository is right");
        for (Class<?> c : new Class<?>[] {Model.class, WindowedDataset.class, TfBackend.class}) {
            Path jar = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertTrue(jar.startsWith(Path.of(repo)), c.getName() + " came from " + jar);
        }
    }
}
