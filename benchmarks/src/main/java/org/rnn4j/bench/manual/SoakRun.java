package org.rnn4j.bench.manual;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.TrainingContext;
import org.rnn4j.bench.ProcessStats;
import org.rnn4j.bootstrap.Rnn4j;

/**
 * The soak benchmark (not a test): trains a small model for many epochs on one engine and prints
 * the process's resident memory every 20 epochs, after a GC, so a leak shows as a rising column:
 * {@code benchmarks/manual.sh soak tf 200}.
 */
public final class SoakRun {
    private SoakRun() {}

    public static void main(String[] args) throws Exception {
        String id = args.length > 0 ? args[0] : "tf";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        ModelSpec spec = Sequential.name("soak")
                .input(50, 1)
                .add(Layers.simpleRnn(10))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(), new org.rnn4j.api.compile.Metric[0])
                .build();
        Tensor[] data = sineWindows(640, 50);
        List<String> rows = new ArrayList<>();
        long start = System.nanoTime();
        try (Backend b = Rnn4j.backend(id);
                Model m = Model.create(spec, b, 1)) {
            Callback probe = new Callback() {
                @Override
                public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
                    if ((epoch + 1) % 20 == 0) {
                        System.gc();
                        rows.add(String.format(
                                Locale.ROOT,
                                "{\"epoch\": %d, \"rssMb\": %.1f, \"heapUsedMb\": %.1f, \"loss\": %.6g, \"seconds\": %.1f}",
                                epoch + 1,
                                ProcessStats.rssKb() / 1024.0,
                                (Runtime.getRuntime().totalMemory()
                                                - Runtime.getRuntime().freeMemory())
                                        / 1048576.0,
                                logs.get("loss"),
                                (System.nanoTime() - start) / 1e9));
                        System.out.println("soak " + id + " " + rows.get(rows.size() - 1));
                    }
                }
            };
            m.fit(
                    org.rnn4j.api.data.TensorDataset.of(data[0], data[1]),
                    null,
                    new FitOptions(epochs, 32, 0, true, 1),
                    List.of(probe));
        }
    }

    /** {@code n} windows of a sine wave, each followed by its next value. */
    private static Tensor[] sineWindows(int n, int window) {
        float[] x = new float[n * window];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < window; t++) {
                x[i * window + t] = (float) Math.sin(0.3 * (i + t));
            }
            y[i] = (float) Math.sin(0.3 * (i + window));
        }
        return new Tensor[] {Tensor.wrap(x, n, window, 1), Tensor.wrap(y, n, 1)};
    }
}
