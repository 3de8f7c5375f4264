package org.rnn4j.bench.manual;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.SplittableRandom;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.BatchIterator;
import org.rnn4j.api.data.EpochPlan;
import org.rnn4j.data.window.WindowSpec;
import org.rnn4j.data.window.WindowedDataset;

/**
 * Windows and batches one million points with window 50 through the lazy form, one shuffled epoch,
 * and reports the time and the most floats held at once: {@code benchmarks/manual.sh windowing}
 * (under {@code -Xmx64m}). Under {@code -Xmx64m} the {@code n * window} floats of a
 * materialised input (200 MB) could not exist, so finishing at all shows the form is lazy.
 */
public final class WindowingBenchmark {
    private static final int POINTS = 1_000_000;
    private static final int WINDOW = 50;
    private static final int BATCH = 256;
    private static final int REPEATS = 5;

    private WindowingBenchmark() {}

    public static void main(String[] args) {
        double[] series = randomWalk(POINTS, 42);
        long bestMs = Long.MAX_VALUE;
        long peakBatchFloats = 0;
        long datasetFloats = 0;
        int windows = 0;
        double checksum = 0;
        resetPeaks();
        for (int run = 0; run <= REPEATS; run++) { // run 0 warms the JIT up and is not timed
            long start = System.nanoTime();
            WindowedDataset d = WindowedDataset.univariate(series, WindowSpec.of(WINDOW));
            // The dataset keeps one float per point (feature and target share the array when univariate).
            datasetFloats = (long) d.seriesLength() * d.features();
            windows = d.count();
            try (BatchIterator it = d.batches(new EpochPlan(run, 7, BATCH, true))) {
                while (it.hasNext()) {
                    Batch b = it.next();
                    peakBatchFloats = Math.max(peakBatchFloats, (long) b.x().size() + b.y().size());
                    float[] x = b.x().floatView();
                    checksum += x[x.length - 1] + b.y().floatView()[0];
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (run > 0) {
                bestMs = Math.min(bestMs, ms);
            }
        }
        long materialised = (long) windows * WINDOW;
        long peakFloats = datasetFloats + peakBatchFloats;
        System.out.printf(
                Locale.ROOT,
                "points=%d window=%d batch=%d windows=%d checksum=%.3f%n",
                POINTS,
                WINDOW,
                BATCH,
                windows,
                checksum);
        System.out.printf(
                Locale.ROOT,
                "best of %d epochs: %d ms (%.1f M windows/s)%n",
                REPEATS,
                bestMs,
                windows / (bestMs / 1000.0) / 1e6);
        System.out.printf(
                Locale.ROOT,
                "peak floats held: %,d (dataset %,d + largest batch %,d) vs n*window = %,d (%.2f%%)%n",
                peakFloats,
                datasetFloats,
                peakBatchFloats,
                materialised,
                100.0 * peakFloats / materialised);
        System.out.printf(
                Locale.ROOT,
                "peak heap used: %.1f MB of max %.1f MB%n",
                peakHeapBytes() / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6);
        System.out.printf(
                Locale.ROOT,
                "BENCHMARKS.md: | data: lazy windowing | 1,000,000 points, window 50, horizon 1, "
                        + "stride 1, batch %d, shuffled | %,d windows in %d ms | peak %,d floats (%.1f%% of n*window) | "
                        + "Java %s, %d cores |%n",
                BATCH,
                windows,
                bestMs,
                peakFloats,
                100.0 * peakFloats / materialised,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
    }

    private static double[] randomWalk(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        double p = 100;
        for (int i = 0; i < n; i++) {
            p *= 1 + (r.nextDouble() - 0.5) * 0.02;
            v[i] = p;
        }
        return v;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** An upper bound of the live heap: the pools' peaks may belong to different moments. */
    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
