package org.rnn4j.zoo.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.StandardScaler;
import org.rnn4j.data.series.TimeSeries;
import org.rnn4j.zoo.evaluation.ForecastStrategy;

class StockRecipeTest {
    /** 20 prices growing by 1, 2, 3 ... percent. */
    private static double[] prices() {
        double[] p = new double[20];
        p[0] = 100;
        for (int i = 1; i < p.length; i++) {
            p[i] = p[i - 1] * (1 + 0.01 * (i % 4 + 1));
        }
        return p;
    }

    private static final StockRecipe RECIPE = new StockRecipe(
            "Close", Differencing.percent(), 3, ScalerKind.STANDARD, new ChronologicalSplit(0.5, 0.25, 0.25));

    private static float[] floats(Tensor t) {
        return t.floatView().clone();
    }

    @Test
    void windowsBelongToTheSplitOfThePriceTheyPredict() {
        StockData d = RECIPE.prepare(prices());
        // 20 prices: train [0, 10), validation [10, 15), test [15, 20). Window i predicts price i + 3 + 1.
        TensorDataset train = d.trainingSet();
        assertArrayEquals(new int[] {6, 3, 1}, train.x().shape()); // prices 4..9
        assertArrayEquals(new int[] {6, 1}, train.y().shape());
        assertEquals(5, d.validationSet().orElseThrow().count()); // prices 10..14
        assertEquals(5, d.testSet().count()); // prices 15..19
        assertArrayEquals(new int[] {14, 15, 16, 17, 18}, d.testOrigins());
        assertEquals(15, d.firstTestPriceIndex());
    }

    @Test
    void scalerIsFittedOnTrainingDifferencesOnly() {
        double[] p = prices();
        StockPreprocessing pre = RECIPE.fit(p);
        double[] trainDiffs = Arrays.copyOf(Differencing.percent().apply(p), 9); // differences leading to prices 1..9
        assertEquals(StandardScaler.fit(trainDiffs), pre.targetTransform().scaler());
    }

    @Test
    void perfectPredictionsGiveBackTheTruePrices() {
        StockData d = RECIPE.prepare(prices());
        Tensor y = d.testSet().y();
        double[][] rebuilt = d.testForecasts(x -> y);
        double[] p = prices();
        for (int i = 0; i < 5; i++) {
            assertEquals(p[15 + i], rebuilt[0][i], 1e-4 * p[15 + i]); // float32 targets
        }
    }

    @Test
    void recursiveForecastUndoesDifferencingAndScaling() {
        double[] p = prices();
        StockPreprocessing pre = RECIPE.fit(p);
        StandardScaler s = (StandardScaler) pre.targetTransform().scaler();
        float twoPercent = (float) s.transform(0.02);
        double[] f = pre.forecast(p, 3, x -> {
            assertArrayEquals(new int[] {1, 3, 1}, x.shape());
            return Tensor.of(new float[] {twoPercent}, 1, 1);
        });
        double last = p[p.length - 1];
        assertEquals(last * 1.02, f[0], 1e-4);
        assertEquals(last * 1.02 * 1.02, f[1], 1e-4);
        assertEquals(last * 1.02 * 1.02 * 1.02, f[2], 1e-4);
    }

    @Test
    void forecastFeedsPredictionsBackIntoTheWindow() {
        double[] p = prices();
        StockPreprocessing pre = RECIPE.fit(p);
        float[][] seen = new float[3][];
        int[] step = {0};
        pre.forecast(p, 3, x -> {
            seen[step[0]++] = floats(x);
            return Tensor.of(new float[] {7f}, 1, 1);
        });
        assertEquals(7f, seen[1][2]);
        assertEquals(7f, seen[2][1]);
        assertEquals(7f, seen[2][2]);
    }

    @Test
    void recursiveEvaluationFeedsBackPerOriginInOneBatch() {
        // Horizon 2, recursive: every test origin's window gets its own first prediction appended.
        StockRecipe r = RECIPE.withHorizon(2, ForecastStrategy.RECURSIVE);
        StockData d = r.prepare(prices());
        int[] origins = d.testOrigins();
        assertArrayEquals(new int[] {14, 15, 16, 17}, origins); // the last origin needs 2 prices after it
        List<float[]> calls = new java.util.ArrayList<>();
        d.testForecasts(x -> {
            calls.add(floats(x));
            float[] out = new float[x.dim(0)];
            for (int i = 0; i < out.length; i++) {
                out[i] = 100 + i; // a different value per origin
            }
            return Tensor.of(out, out.length, 1);
        });
        assertEquals(2, calls.size());
        float[] second = calls.get(1);
        for (int i = 0; i < origins.length; i++) {
            assertEquals(100 + i, second[i * 3 + 2], "origin " + i + " sees its own prediction last");
        }
    }

    @Test
    void directModelsPredictTheNextHValuesAtOnce() {
        StockRecipe r = RECIPE.withHorizon(2, ForecastStrategy.DIRECT);
        StockData d = r.prepare(prices());
        assertEquals(2, d.trainingSet().y().dim(1));
        // A training window's last target must be a training price: origins 3..7 (targets up to 9).
        assertEquals(5, d.trainingSet().count());
        double[] p = prices();
        double[] diffs = Differencing.percent().apply(p);
        StandardScaler s = (StandardScaler) d.preprocessing().targetTransform().scaler();
        // Perfect scaled targets rebuild the true prices two steps ahead.
        Tensor y = d.testSet().y();
        double[][] f = d.testForecasts(x -> y);
        int[] o = d.testOrigins();
        for (int i = 0; i < o.length; i++) {
            assertEquals(p[o[i] + 1], f[0][i], 1e-4 * p[o[i] + 1]);
            assertEquals(p[o[i] + 2], f[1][i], 1e-4 * p[o[i] + 2]);
        }
        assertEquals((float) s.transform(diffs[0 + 3]), d.trainingSet().y().floatView()[0], 1e-6);
    }

    @Test
    void directHorizonBeyondTheModelIsRefused() {
        StockPreprocessing pre = RECIPE.withHorizon(2, ForecastStrategy.DIRECT).fit(prices());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> pre.forecast(prices(), 3, x -> x));
        assertTrue(e.getMessage().contains("forecasts 2 steps directly"), e.getMessage());
    }

    @Test
    void multivariateColumnsEachGetTheirOwnScaler() {
        double[] close = prices();
        double[] volume = new double[close.length];
        for (int i = 0; i < volume.length; i++) {
            volume[i] = 1000 + 37 * (i % 5) + i;
        }
        TimeSeries s = TimeSeries.of(List.of("close", "volume"), new double[][] {close, volume}, List.of());
        StockRecipe r = RECIPE.withColumns(List.of("volume", "close"), "close");
        StockData d = r.prepare(s);
        StockPreprocessing pre = d.preprocessing();
        assertEquals(List.of("volume", "close"), pre.columns());
        assertEquals(1, pre.targetIndex());
        double[] vd = Differencing.percent().apply(volume);
        assertEquals(
                StandardScaler.fit(Arrays.copyOf(vd, 9)), pre.inputs().get(0).scaler());
        assertArrayEquals(new int[] {6, 3, 2}, d.trainingSet().x().shape());
        // Feature 0 of the first window's first step is the scaled first volume change.
        assertEquals(
                (float) pre.inputs().get(0).scaler().transform(vd[0]),
                d.trainingSet().x().floatView()[0],
                1e-6);
        assertEquals(new Preprocessing.Sizes(2, 1), pre.sizes());
        assertEquals(pre, Preprocessing.fromJson(pre.toJson()));
    }

    @Test
    void recursiveMultiStepNeedsTheTargetAlone() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RECIPE.withColumns(List.of("a", "Close"), "Close").withHorizon(3, ForecastStrategy.RECURSIVE));
        assertTrue(e.getMessage().contains("a direct strategy"), e.getMessage());
    }

    @Test
    void noDifferencingScalesTheLevels() {
        StockPreprocessing pre = RECIPE.withDifferencing(null).fit(prices());
        assertNull(pre.targetTransform().differencing());
        assertEquals(0, pre.order());
        assertEquals(
                StandardScaler.fit(Arrays.copyOf(prices(), 10)),
                pre.targetTransform().scaler());
        StockData d = pre.windows(prices());
        double[][] f = d.testForecasts(x -> d.testSet().y());
        assertEquals(prices()[15], f[0][0], 1e-3);
        assertEquals(pre, Preprocessing.fromJson(pre.toJson()));
    }

    @Test
    void tooShortSeriesSaysWhatItNeeds() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> RECIPE.withWindow(50).prepare(prices()));
        assertTrue(e.getMessage().contains("windows of 50 rows"), e.getMessage());
    }

    @Test
    void forecastNeedsAtLeastOneStep() {
        StockPreprocessing pre = RECIPE.fit(prices());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> pre.forecast(prices(), 0, x -> x));
        assertEquals("forecast steps must be >= 1, got 0", e.getMessage());
    }

    @Test
    void preprocessingSurvivesJson() {
        StockPreprocessing pre = RECIPE.fit(prices());
        assertEquals(pre, Preprocessing.fromJson(pre.toJson()));
        StockPreprocessing none = RECIPE.withScaler(ScalerKind.NONE).fit(prices());
        assertNull(none.targetTransform().scaler());
        assertEquals(none, Preprocessing.fromJson(none.toJson()));
        StockPreprocessing minMax = RECIPE.withScaler(ScalerKind.MIN_MAX)
                .withDifferencing(Differencing.absolute())
                .fit(prices());
        assertEquals(minMax, Preprocessing.fromJson(minMax.toJson()));
    }

    @Test
    void theFirstFormatStillReads() throws Exception {
        // rnn4j.json of models saved before multivariate windows: one column at the top level.
        String first = "{\"kind\":\"stock\",\"column\":\"close\",\"differencing\":{\"kind\":\"percent\",\"order\":1},"
                + "\"window\":50,\"scaler\":{\"type\":\"standard\",\"mean\":0.001,\"std\":0.01},"
                + "\"split\":{\"train\":0.7,\"validation\":0.15,\"test\":0.15}}";
        StockPreprocessing p = (StockPreprocessing) Preprocessing.fromJson(Preprocessing.MAPPER.readTree(first));
        assertEquals("close", p.target());
        assertEquals(1, p.horizon());
        assertEquals(ForecastStrategy.RECURSIVE, p.strategy());
        assertEquals(new StandardScaler(0.001, 0.01), p.targetTransform().scaler());
    }

    @Test
    void unknownPreprocessingFieldIsNamed() {
        var json = RECIPE.fit(prices()).toJson();
        json.put("colour", "red");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromJson(json));
        assertTrue(e.getMessage().startsWith("$.preprocessing.colour: unknown field 'colour'"), e.getMessage());
        var col = RECIPE.fit(prices()).toJson();
        ((com.fasterxml.jackson.databind.node.ObjectNode) col.get("columns").get(0)).put("shade", 1);
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromJson(col));
        assertTrue(c.getMessage().startsWith("$.preprocessing.columns[0].shade: unknown field"), c.getMessage());
    }
}
