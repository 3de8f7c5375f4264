package org.rnn4j.data.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.BatchIterator;
import org.rnn4j.api.data.EpochPlan;
import org.rnn4j.api.data.SampleOrder;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.series.TimeSeries;

class WindowedDatasetTest {

    /** A series whose value at step t is t, so every window and target shows where it came from. */
    private static double[] steps(int length) {
        double[] v = new double[length];
        for (int t = 0; t < length; t++) {
            v[t] = t;
        }
        return v;
    }

    @Property(tries = 200)
    void everyWindowIsFollowedByItsTargets(
            @ForAll @IntRange(min = 1, max = 30) int window,
            @ForAll @IntRange(min = 1, max = 5) int horizon,
            @ForAll @IntRange(min = 1, max = 7) int stride,
            @ForAll @IntRange(min = 0, max = 80) int extra) {
        int length = window + horizon + extra;
        WindowedDataset d = WindowedDataset.univariate(steps(length), new WindowSpec(window, horizon, stride));
        Tensor in = d.inputs();
        Tensor out = d.targets();
        int n = d.count();
        // Independent count: starts 0, stride, 2*stride, ... while start + window + horizon <= length.
        int expected = 0;
        for (int start = 0; start + window + horizon <= length; start += stride) {
            expected++;
        }
        assertEquals(expected, n);
        assertArrayEquals(new int[] {n, window, 1}, in.shape());
        assertArrayEquals(new int[] {n, horizon}, out.shape());
        float[] x = in.floatView();
        float[] y = out.floatView();
        for (int i = 0; i < n; i++) {
            int start = i * stride;
            for (int t = 0; t < window; t++) {
                assertEquals(start + t, x[(i * window) + t], "window " + i + " step " + t);
            }
            // the targets are exactly the next `horizon` values after the window's last value
            for (int k = 0; k < horizon; k++) {
                assertEquals(x[i * window + window - 1] + 1 + k, y[i * horizon + k], "window " + i + " target " + k);
            }
            assertTrue(start + window + horizon <= length, "window " + i + " crosses the end");
        }
        // the next start would not fit: no window is left out
        assertTrue(n * stride + window + horizon > length);
    }

    @Property(tries = 100)
    void lazyBatchesEqualTheMaterialisedRows(
            @ForAll @IntRange(min = 1, max = 12) int window,
            @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll @IntRange(min = 1, max = 9) int batchSize,
            @ForAll @IntRange(min = 0, max = 40) int extra,
            @ForAll long seed) {
        double[] a = steps(window + 2 + extra);
        double[] b = new double[a.length];
        for (int t = 0; t < a.length; t++) {
            b[t] = -10 * t;
        }
        WindowedDataset d = WindowedDataset.of(new double[][] {a, b}, b, new WindowSpec(window, 2, stride));
        EpochPlan plan = new EpochPlan(3, seed, batchSize, true);
        int[] order = SampleOrder.fisherYates(d.count(), seed, 3);
        int seen = 0;
        try (BatchIterator it = d.batches(plan)) {
            while (it.hasNext()) {
                Batch batch = it.next();
                int[] rows = java.util.Arrays.copyOfRange(order, seen, seen + batch.size());
                assertEquals(d.inputs().gatherRows(rows), batch.x());
                assertEquals(d.targets().gatherRows(rows), batch.y());
                seen += batch.size();
            }
        }
        assertEquals(d.count(), seen);
    }

    @Test
    void multipleFeaturesAreInterleavedPerStep() {
        TimeSeries s = TimeSeries.of(
                List.of("open", "close", "volume"),
                new double[][] {{1, 2, 3, 4}, {10, 20, 30, 40}, {100, 200, 300, 400}},
                List.of());
        WindowedDataset d = WindowedDataset.of(s, List.of("Close", "volume"), "open", new WindowSpec(2, 1, 1));
        // windows start at 0 and 1; features (close, volume) per step; target = open after the window
        assertArrayEquals(new int[] {2, 2, 2}, d.inputs().shape());
        assertArrayEquals(
                new float[] {10, 100, 20, 200, 20, 200, 30, 300}, d.inputs().floatView());
        assertArrayEquals(new float[] {3, 4}, d.targets().floatView());
        assertEquals(2, d.features());
        assertEquals(3, d.targetStart(1));
    }

    @Test
    void onlyWindowsOfArraysAreInMemory() {
        // Arrays are copied once and gathered from memory; a series is read (and cast) as batches are made.
        assertTrue(WindowedDataset.univariate(steps(10), WindowSpec.of(3)).inMemory());
        assertTrue(WindowedDataset.of(new double[][] {steps(10)}, steps(10), WindowSpec.of(3))
                .inMemory());
        assertFalse(WindowedDataset.univariate(org.rnn4j.data.series.DoubleSeries.of(steps(10)), WindowSpec.of(3))
                .inMemory());
    }

    @Test
    void countsWindowsByHand() {
        // 10 points, window 3, horizon 2, stride 2: starts 0, 2, 4 (4 + 3 + 2 = 9 <= 10); 6 + 5 = 11 > 10.
        assertEquals(3, new WindowSpec(3, 2, 2).count(10));
        assertEquals(0, new WindowSpec(3, 2, 2).count(4));
        assertEquals(1, new WindowSpec(3, 2, 2).count(5));
    }

    @Test
    void aWindowLongerThanTheSeriesSaysHowLongTheSeriesIs() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WindowedDataset.univariate(steps(40), WindowSpec.of(50)));
        assertEquals(
                "window 50 with horizon 1 needs a series of at least 51 values, but the series has 40; "
                        + "the largest window for this series and horizon 1 is 39",
                e.getMessage());
        IllegalArgumentException tiny = assertThrows(
                IllegalArgumentException.class, () -> WindowedDataset.univariate(steps(3), new WindowSpec(2, 3, 1)));
        assertEquals(
                "window 2 with horizon 3 needs a series of at least 5 values, but the series has 3; "
                        + "the series is too short for horizon 3 with any window",
                tiny.getMessage());
    }

    @Test
    void nonPositiveSizesAreRefused() {
        assertEquals(
                "window.window must be > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> new WindowSpec(0, 1, 1))
                        .getMessage());
        assertEquals(
                "window.horizon must be > 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new WindowSpec(5, -1, 1))
                        .getMessage());
        assertEquals(
                "window.stride must be > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> new WindowSpec(5, 1, 0))
                        .getMessage());
    }

    @Test
    void badRowsAndValuesAreRefused() {
        WindowedDataset d = WindowedDataset.univariate(steps(5), WindowSpec.of(2));
        assertEquals(
                "window row must be in [0, 3), got 3",
                assertThrows(IllegalArgumentException.class, () -> d.batch(new int[] {0, 3}))
                        .getMessage());
        assertEquals(
                "series value at index 1 is 1.0E300, which is not a finite float32; fill gaps and scale the series before windowing",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> WindowedDataset.univariate(new double[] {0, 1e300, 2}, WindowSpec.of(1)))
                        .getMessage());
    }
}
