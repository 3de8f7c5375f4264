package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.bootstrap.Rnn4j;

/** predict on one loaded model from 8 threads x 1,000 calls equals the serial results. */
class ConcurrentPredictIT {

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void eightThreadsAThousandCallsEach(String id) throws Exception {
        ModelSpec spec = Sequential.builder()
                .input(5, 2)
                .add(Layers.gru(4))
                .add(Layers.dense(2))
                .build();
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inputs.add(Fixtures.floats(100 + i, 3, 5, 2));
        }
        try (Backend b = Rnn4j.backend(id);
                Model m = Model.create(spec, b, 1)) {
            List<Tensor> serial = new ArrayList<>();
            for (Tensor x : inputs) {
                serial.add(m.predict(x));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    final int thread = t;
                    results.add(pool.submit(() -> {
                        int mismatches = 0;
                        for (int call = 0; call < 1_000; call++) {
                            int k = (thread + call) % inputs.size();
                            if (!m.predict(inputs.get(k)).equals(serial.get(k))) {
                                mismatches++;
                            }
                        }
                        return mismatches;
                    }));
                }
                for (Future<Integer> f : results) {
                    assertEquals(0, f.get(), id + ": concurrent results differ from serial ones");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
