package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.BatchIterator;
import org.rnn4j.api.data.EpochPlan;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.MinMaxScaler;
import org.rnn4j.data.series.SplitBoundaries;
import org.rnn4j.data.window.WindowSpec;
import org.rnn4j.data.window.WindowedDataset;

/** The article's pipeline: S&P 500 close -> percent differences -> windows of 50 -> model input [n, 50, 1]. */
class ArticlePipelineTest {

    @Test
    void closePricesBecomeWindowsOfFifty() throws IOException {
        double[] close = DemoData.sp500().column("close");
        // Independently: 5,105 data rows in the file (counted outside Java), cross-checked by counting lines here.
        int rows = 5105;
        assertEquals(rows, dataLines());
        assertEquals(rows, close.length);

        Differencing pct = Differencing.percent();
        double[] changes = pct.apply(close);
        assertEquals(rows - 1, changes.length);
        // first change by hand from the file: 1399.420044 / 1455.219971 - 1
        assertEquals(1399.420044 / 1455.219971 - 1, changes[0], 1e-15);

        WindowedDataset windows = WindowedDataset.univariate(changes, WindowSpec.of(50));
        int n = rows - 1 - 50; // 5054: one value lost to differencing, 50 to the first window
        assertEquals(5054, n);
        assertEquals(n, windows.count());
        Tensor x = windows.inputs();
        Tensor y = windows.targets();
        assertArrayEquals(new int[] {5054, 50, 1}, x.shape());
        assertArrayEquals(new int[] {5054, 1}, y.shape());
        // the last target is the last change of the series, from 2799.550049 to 2874.560059
        assertEquals((float) (2874.560059 / 2799.550049 - 1), y.floatView()[n - 1], 1e-7f);

        // price rebuilt from the last window's target with the true previous close
        double[] rebuilt =
                pct.oneStep(close, pct.priceIndex(windows.targetStart(n - 1)), new double[] {changes[rows - 2]});
        assertEquals(2874.560059, rebuilt[0], 1e-9);
    }

    @Test
    void scaledSplitThenBatchedLikeTraining() {
        double[] changes = Differencing.percent().apply(DemoData.sp500().column("close"));
        SplitBoundaries split = new ChronologicalSplit(0.8, 0.1, 0.1).boundaries(changes.length);
        MinMaxScaler scaler = MinMaxScaler.fit(split.train(changes), -1, 1);
        WindowedDataset train = WindowedDataset.univariate(scaler.transform(split.train(changes)), WindowSpec.of(50));
        // 5104 changes * 0.8 = 4083.2 -> 4083 training values -> 4083 - 50 windows
        assertEquals(4033, train.count());
        int rows = 0;
        try (BatchIterator it = train.batches(new EpochPlan(0, 7, 32, true))) {
            while (it.hasNext()) {
                Batch b = it.next();
                assertEquals(50, b.x().dim(1));
                rows += b.size();
            }
        }
        assertEquals(4033, rows);
    }

    private static long dataLines() throws IOException {
        try (InputStream in = DemoData.open(DemoData.SP500)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                            .lines()
                            .filter(l -> !l.isBlank())
                            .count()
                    - 1;
        }
    }
}
