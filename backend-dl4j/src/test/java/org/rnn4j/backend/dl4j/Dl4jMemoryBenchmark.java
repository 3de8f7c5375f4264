package org.rnn4j.backend.dl4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * Not a unit test (no {@code Test} suffix): runs {@code steps} trainSteps (plus a predict every
 * step) with changing weights and prints the process RSS, so native memory growth across batches
 * shows. Run with the test classpath: {@code java -cp ... org.rnn4j.backend.dl4j.Dl4jMemoryBenchmark 500}.
 */
public final class Dl4jMemoryBenchmark {
    private Dl4jMemoryBenchmark() {}

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        ModelSpec spec = Sequential.builder()
                .input(20, 4)
                .add(Layers.lstm(32).returnSequences(true))
                .add(Layers.gru(32))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        WeightStore w = Dl4jProgramTest.randomWeights(spec, 1);
        Tensor x = Dl4jProgramTest.randomInput(2, 32, 20, 4);
        Tensor y = Dl4jProgramTest.randomInput(3, 32, 1);
        try (Dl4jBackend backend = new Dl4jBackend();
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
                    warm = rssKb();
                    tWarm = System.nanoTime();
                }
                if (i % 50 == 0) {
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf(
                            "step %4d loss %.6f rss %7d kB heap %6d kB%n",
                            i, s.loss(), rssKb(), (rt.totalMemory() - rt.freeMemory()) / 1024);
                }
            }
            long end = rssKb();
            System.out.printf(
                    "RSS after warm-up (step 50) %d kB, at step %d %d kB: %+.1f%%; %.1f ms per trainStep+predict after warm-up%n",
                    warm, steps, end, 100.0 * (end - warm) / warm, (System.nanoTime() - tWarm) / 1e6 / (steps - 50));
        }
    }
}
