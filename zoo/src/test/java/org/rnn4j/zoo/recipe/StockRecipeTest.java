package org.rnn4j.zoo.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.StandardScaler;

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

    @Test
    void windowsBelongToTheSplitOfThePriceTheyPredict() {
        StockData d = RECIPE.prepare(prices());
        // 20 prices: train [0, 10), validation [10, 15), test [15, 20). Window i predicts price i + 3 + 1.
        assertArrayEquals(new int[] {6, 3, 1}, d.trainX().shape()); // prices 4..9
        assertArrayEquals(new int[] {6, 1}, d.trainY().shape());
        assertEquals(5, d.validationX().dim(0)); // prices 10..14
        assertEquals(5, d.testSize()); // prices 15..19
        assertEquals(15, d.firstTestPriceIndex());
        assertArrayEquals(Arrays.copyOfRange(prices(), 15, 20), d.testActual());
        assertArrayEquals(Arrays.copyOfRange(prices(), 14, 19), d.testPrevious());
    }

    @Test
    void scalerIsFittedOnTrainingDifferencesOnly() {
        double[] p = prices();
        StockPreprocessing pre = RECIPE.fit(p);
        double[] trainDiffs = Arrays.copyOf(Differencing.percent().apply(p), 9); // differences leading to prices 1..9
        assertEquals(StandardScaler.fit(trainDiffs), pre.scaler());
    }

    @Test
    void perfectPredictionsGiveBackTheTruePrices() {
        StockData d = RECIPE.prepare(prices());
        double[] rebuilt = d.testForecast(d.testY());
        double[] actual = d.testActual();
        for (int i = 0; i < actual.length; i++) {
            assertEquals(actual[i], rebuilt[i], 1e-4 * actual[i]); // float32 targets
        }
    }

    @Test
    void recursiveForecastUndoesDifferencingAndScaling() {
        double[] p = prices();
        StockPreprocessing pre = RECIPE.fit(p);
        StandardScaler s = (StandardScaler) pre.scaler();
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
            seen[step[0]++] = x.toFloatArray();
            return Tensor.of(new float[] {7f}, 1, 1);
        });
        assertEquals(7f, seen[1][2]);
        assertEquals(7f, seen[2][1]);
        assertEquals(7f, seen[2][2]);
    }

    @Test
    void tooShortSeriesSaysWhatItNeeds() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> RECIPE.withWindow(50).prepare(prices()));
        assertTrue(e.getMessage().contains("too short for windows of 50"), e.getMessage());
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
        assertNull(none.scaler());
        assertEquals(none, Preprocessing.fromJson(none.toJson()));
        StockPreprocessing minMax = RECIPE.withScaler(ScalerKind.MIN_MAX)
                .withDifferencing(Differencing.absolute())
                .fit(prices());
        assertEquals(minMax, Preprocessing.fromJson(minMax.toJson()));
    }

    @Test
    void unknownPreprocessingFieldIsNamed() {
        var json = RECIPE.fit(prices()).toJson();
        json.put("colour", "red");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromJson(json));
        assertTrue(e.getMessage().startsWith("$.preprocessing.colour: unknown field 'colour'"), e.getMessage());
    }
}
