package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
import org.rnn4j.bootstrap.Rnn4j;

/** A model trained and saved on one backend loads on the other and predicts the same. */
class PortableModelIT {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"tf, dl4j", "dl4j, tf"})
    void saveOnOneBackendPredictOnTheOther(String from, String to) throws Exception {
        ModelSpec spec = Sequential.name("portable")
                .input(12, 1)
                .add(Layers.lstm(6).returnSequences(true))
                .add(Layers.gru(4).resetAfter(false))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(0.01), Metric.MAE)
                .build();
        Tensor[] data = Fixtures.sineWindows(64, 12);
        Path dir = tmp.resolve("model-" + from);
        Tensor expected;
        try (Backend a = Rnn4j.backend(from);
                Model m = Model.create(spec, a, 3)) {
            m.fit(data[0], data[1], new FitOptions(2, 16, 0, true, 3));
            expected = m.predict(data[0]);
            m.save(dir);
        }
        try (Backend b = Rnn4j.backend(to);
                Model m = Model.load(dir, b)) {
            double diff = m.predict(data[0]).maxAbsDiff(expected);
            assertTrue(diff <= 1e-5, from + " -> " + to + ": max |difference| " + diff);
        }
    }
}
