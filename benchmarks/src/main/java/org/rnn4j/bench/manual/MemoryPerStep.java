package org.rnn4j.bench.manual;

import java.util.Map;
import java.util.Random;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.api.weights.WeightStore;
import org.rnn4j.bench.ProcessStats;
import org.rnn4j.bootstrap.Rnn4j;

/**
 * Native memory across batches: runs {@code steps} program-level train steps (plus a predict every
 * step) with changing weights on one engine and prints the process RSS every 50 steps, so growth
 * from batch to batch shows: {@code benchmarks/manual.sh memory dl4j 500}.
 */
public final class MemoryPerStep {
    private MemoryPerStep() {}

    public static void main(String[] args) {
        String engine = args.length > 0 ? args[0] : "dl4j";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        if (steps < 100) {
            System.err.println("MemoryPerStep: steps must be at least 100 (the first 50 warm up), got " + steps);
            System.exit(2);
        }
        ModelSpec spec = Sequential.builder()
                .input(20, 4)
                .add(Layers.lstm(32).returnSequences(true))
                .add(Layers.gru(32))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        WeightStore w = WeightInitializer.initialized(spec.weights(), 1);
        Tensor x = uniform(2, 32, 20, 4);
        Tensor y = uniform(3, 32, 1);
        try (Backend backend = Rnn4j.backend(engine);
                Program p = backend.compile(spec)) {
            long warm = 0;
            long tWarm = 0;
            for (int i = 1; i <= steps; i++) {
                Program.StepResult s = p.trainStep(x, y, w, Map.of());
                for (Map.Entry<String, Tensor> g : s.gradients().entrySet()) {
                    float[] a = w.array(g.getKey());
                    float[] d = g.getValue().floatView();
                    for (int k = 0; k < a.length; k++) {
                        a[k] -= 0.01f * d[k];
                    }
                }
                w.touch();
                p.predict(x, w);
                if (i == 50) {
                    warm = ProcessStats.rssKb();
                    tWarm = System.nanoTime();
                }
                if (i % 50 == 0) {
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf(
                            "step %4d loss %.6f rss %7d kB heap %6d kB%n",
                            i, s.loss(), ProcessStats.rssKb(), (rt.totalMemory() - rt.freeMemory()) / 1024);
                }
            }
            long end = ProcessStats.rssKb();
            System.out.printf(
                    "%s: RSS after warm-up (step 50) %d kB, at step %d %d kB: %+.1f%%; %.1f ms per trainStep+predict after warm-up%n",
                    engine,
                    warm,
                    steps,
                    end,
                    100.0 * (end - warm) / warm,
                    (System.nanoTime() - tWarm) / 1e6 / (steps - 50));
        }
    }

    /** Values uniform in [-1, 1) from {@code seed}. */
    private static Tensor uniform(long seed, int... shape) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(Tensor.size(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * r.nextFloat() - 1;
        }
        return Tensor.of(v, shape);
    }
}
