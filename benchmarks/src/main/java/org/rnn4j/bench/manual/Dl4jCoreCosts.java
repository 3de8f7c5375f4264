package org.rnn4j.bench.manual;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.bench.Harness;
import org.rnn4j.bench.SyntheticData;
import org.rnn4j.bench.Workload;
import org.rnn4j.bench.rnn4j.Rnn4jModels;
import org.rnn4j.bootstrap.Rnn4j;

/**
 * Where rnn4j-dl4j's W2 loses against twice its one-core rate on two cores (not a test, not part
 * of {@code run.sh}; BENCHMARKS.md, round eight). {@code benchmarks/manual.sh dl4j-cores} runs
 * every case, each in its own JVM and with the cores it needs:
 * <ul>
 * <li>{@code gemm}: ND4J's float32 product of {@code m} rows by W2's recurrent kernel (256 x 1024),
 * one OpenBLAS thread, for m = 16, 32, 64, 128: microseconds per call (median of 9 rounds) and the
 * least-squares line through them, whose intercept is what every call costs whatever its rows.</li>
 * <li>{@code ops}: one element-wise multiply of two {@code [256, m]} arrays (an LSTM gate of W2,
 * m = 32 and 64), as ND4J runs it when handed a new op ({@code MulOp}, as {@code muli} does) and
 * through an op context made once (as rnn4j-dl4j's LSTM steps run it), one minus the array
 * ({@code rsub(1f, out)}, which makes the scalar op anew, and the op kept), and ND4J's sigmoid and tanh
 * of such an array: microseconds per call, median of 9 rounds, one thread. Then OpenBLAS's thread
 * count set to one and back through ND4J ({@code setMaxThreads}, what a split step's settings
 * cost when changed around every step): microseconds per pair, median of 9 rounds of 200.</li>
 * <li>{@code batches B...}: W2 trained by one model without the row split
 * ({@code -Drnn4j.splitBatch=false}), epochs of 512 rows at each batch size in turn:
 * median samples/s per batch size. Run on one core, it says what a part of half the batch gets
 * from a core compared with the whole batch.</li>
 * <li>{@code split B...}: the same with the default program (split by rows on more than one core).</li>
 * <li>{@code models N}: N models trained at once, each on its own thread (batch 64, no split):
 * each thread's median samples/s. On two cores, against two JVMs on a core each, it says what
 * sharing one process costs.</li>
 * </ul>
 */
public final class Dl4jCoreCosts {
    private static final int ROWS = 512;

    private Dl4jCoreCosts() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException(
                    "usage: Dl4jCoreCosts gemm | ops | batches B... [--epochs E] | split B... [--epochs E] | models N [--epochs E]");
        }
        int epochs = 8;
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--epochs")) {
                epochs = Integer.parseInt(args[++i]);
            } else {
                numbers.add(Integer.parseInt(args[i]));
            }
        }
        switch (args[0]) {
            case "gemm" -> gemm();
            case "ops" -> ops();
            case "batches" -> batches(numbers, epochs, false);
            case "split" -> batches(numbers, epochs, true);
            case "models" -> models(numbers.isEmpty() ? 2 : numbers.get(0), epochs);
            default ->
                throw new IllegalArgumentException(
                        "unknown case '" + args[0] + "': gemm, ops, batches, split or models");
        }
    }

    private static void gemm() {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        int k = 256;
        int n = 1024;
        int[] ms = {16, 32, 64, 128};
        INDArray kernel = Nd4j.rand(DataType.FLOAT, k, n);
        double[][] micros = new double[ms.length][9];
        for (int round = 0; round < 10; round++) {
            for (int j = 0; j < ms.length; j++) {
                INDArray h = Nd4j.rand(DataType.FLOAT, ms[j], k);
                INDArray z = Nd4j.create(DataType.FLOAT, ms[j], n);
                int reps = 1000;
                long t = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    Nd4j.gemm(h, kernel, z, false, false, 1.0, 1.0);
                }
                if (round > 0) { // the first round warms up
                    micros[j][round - 1] = (System.nanoTime() - t) / 1e3 / reps;
                }
            }
        }
        double[] median = new double[ms.length];
        for (int j = 0; j < ms.length; j++) {
            median[j] = Harness.median(micros[j]);
            System.out.printf(
                    Locale.ROOT,
                    "gemm [%d x %d] x [%d x %d]: %.1f us (%.1f GFLOP/s)%n",
                    ms[j],
                    k,
                    k,
                    n,
                    median[j],
                    2.0 * ms[j] * k * n / median[j] / 1e3);
        }
        double mx = Arrays.stream(ms).average().orElseThrow();
        double my = Arrays.stream(median).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (int j = 0; j < ms.length; j++) {
            sxy += (ms[j] - mx) * (median[j] - my);
            sxx += (ms[j] - mx) * (ms[j] - mx);
        }
        double slope = sxy / sxx;
        System.out.printf(Locale.ROOT, "gemm line: %.1f us per call + %.2f us per row%n", my - slope * mx, slope);
    }

    private static void ops() throws Exception {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        for (int m : new int[] {32, 64}) {
            INDArray a = Nd4j.rand(DataType.FLOAT, 256, m);
            INDArray b = Nd4j.rand(DataType.FLOAT, 256, m);
            INDArray out = Nd4j.create(DataType.FLOAT, 256, m);
            try (OpContext context = Nd4j.getExecutioner().buildContext()) {
                context.setInputArrays(a, b);
                context.setOutputArrays(out);
                CustomOp bound = new MulOp();
                ScalarReverseSubtraction kept = new ScalarReverseSubtraction(a, null, out, 1f);
                String[] names = {
                    "multiply, a new op a call",
                    "multiply, a context made once",
                    "1 - a, rsub(1f, out)",
                    "1 - a, the op kept",
                    "sigmoid",
                    "tanh"
                };
                Runnable[] calls = {
                    () -> Nd4j.exec(new MulOp(a, b, out)),
                    () -> Nd4j.getExecutioner().exec(bound, context),
                    () -> a.rsub(1f, out),
                    () -> Nd4j.getExecutioner().exec(kept),
                    () -> Nd4j.getExecutioner().exec(new Sigmoid(a, out)),
                    () -> Nd4j.getExecutioner().exec(new Tanh(a, out))
                };
                double[][] micros = new double[calls.length][9];
                for (int round = -1; round < 10; round++) { // rounds -1 and 0 warm up
                    for (int j = 0; j < calls.length; j++) {
                        int reps = 5000;
                        long t = System.nanoTime();
                        for (int i = 0; i < reps; i++) {
                            calls[j].run();
                        }
                        if (round > 0) {
                            micros[j][round - 1] = (System.nanoTime() - t) / 1e3 / reps;
                        }
                    }
                }
                for (int j = 0; j < calls.length; j++) {
                    System.out.printf(
                            Locale.ROOT, "[256 x %d] %s: %.2f us a call%n", m, names[j], Harness.median(micros[j]));
                }
            }
        }
        org.nd4j.linalg.api.blas.Blas blas = Nd4j.factory().blas();
        int threads = 2; // a split step's count on two cores, set back after every step before
        double[] pairs = new double[9];
        for (int round = -1; round < 9; round++) { // round -1 warms up
            int reps = 200;
            long t = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                blas.setMaxThreads(1);
                blas.setMaxThreads(threads);
            }
            if (round >= 0) {
                pairs[round] = (System.nanoTime() - t) / 1e3 / reps;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "OpenBLAS threads set to 1 and back to %d (ND4J's setMaxThreads): %.1f us a pair%n",
                threads,
                Harness.median(pairs));
    }

    private static void batches(List<Integer> sizes, int epochs, boolean split) {
        if (!split) {
            System.setProperty("rnn4j.splitBatch", "false");
        }
        Workload.Sizes s = Workload.W2.sizes(false);
        SyntheticData data = SyntheticData.of(Workload.W2, false);
        TensorDataset ds =
                TensorDataset.of(data.x().sliceRows(0, ROWS), data.y().sliceRows(0, ROWS));
        try (Backend b = Rnn4j.backend("dl4j");
                Model m = Model.create(Rnn4jModels.spec(Workload.W2, s), b, SyntheticData.SEED)) {
            double[][] rates = new double[sizes.size()][epochs];
            int epoch = 0;
            for (int e = 0; e < epochs + 1; e++) {
                for (int j = 0; j < sizes.size(); j++, epoch++) {
                    double rate = epochRate(m, ds, sizes.get(j), epoch);
                    if (e > 0) { // the first epoch of each size warms up
                        rates[j][e - 1] = rate;
                    }
                }
            }
            for (int j = 0; j < sizes.size(); j++) {
                System.out.printf(
                        Locale.ROOT,
                        "W2 batch %d%s: median %.1f samples/s over %d epochs of %d rows%n",
                        sizes.get(j),
                        split ? " (default program)" : "",
                        Harness.median(rates[j]),
                        epochs,
                        ROWS);
            }
        }
    }

    private static void models(int count, int epochs) throws InterruptedException {
        System.setProperty("rnn4j.splitBatch", "false");
        System.setProperty("rnn4j.dl4j.blasThreads", "1");
        Workload.Sizes s = Workload.W2.sizes(false);
        SyntheticData data = SyntheticData.of(Workload.W2, false);
        TensorDataset ds =
                TensorDataset.of(data.x().sliceRows(0, ROWS), data.y().sliceRows(0, ROWS));
        double[][] rates = new double[count][epochs];
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (Backend b = Rnn4j.backend("dl4j")) {
            Thread[] threads = new Thread[count];
            for (int p = 0; p < count; p++) {
                int me = p;
                threads[p] = new Thread(() -> {
                    try (Model m = Model.create(Rnn4jModels.spec(Workload.W2, s), b, SyntheticData.SEED)) {
                        epochRate(m, ds, s.batch(), 0);
                        for (int e = 0; e < epochs; e++) {
                            rates[me][e] = epochRate(m, ds, s.batch(), e + 1);
                        }
                    }
                });
                threads[p].setUncaughtExceptionHandler((t, e) -> failure.compareAndSet(null, e));
                threads[p].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a model's thread failed: " + failure.get(), failure.get());
        }
        double sum = 0;
        for (int p = 0; p < count; p++) {
            double r = Harness.median(rates[p]);
            sum += r;
            System.out.printf(Locale.ROOT, "W2 model %d of %d at once: median %.1f samples/s%n", p + 1, count, r);
        }
        System.out.printf(Locale.ROOT, "W2 %d models at once: %.1f samples/s together%n", count, sum);
    }

    private static double epochRate(Model m, TensorDataset ds, int batch, int epoch) {
        FitOptions o = FitOptions.defaults()
                .withBatchSize(batch)
                .withSeed(SyntheticData.SEED)
                .withEpochs(epoch + 1);
        long t = System.nanoTime();
        m.fitFrom(ds, null, o, List.of(), epoch);
        return ROWS / ((System.nanoTime() - t) / 1e9);
    }
}
