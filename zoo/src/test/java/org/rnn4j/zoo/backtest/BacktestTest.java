package org.rnn4j.zoo.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.TimeSeries;
import org.rnn4j.zoo.evaluation.EvaluationOptions;
import org.rnn4j.zoo.evaluation.ForecastEvaluation;
import org.rnn4j.zoo.evaluation.ForecastStrategy;
import org.rnn4j.zoo.recipe.Cut;
import org.rnn4j.zoo.recipe.ScalerKind;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import org.rnn4j.zoo.recipe.StockRecipe;

/** 100 prices, split 70 / 15 / 15: the test split is rows 85..99. Every cut below is worked out by hand. */
class BacktestTest {
    private static final EvaluationOptions OPTIONS = new EvaluationOptions(0.05, 200, 42, 0);

    private static TimeSeries series() {
        double[] p = new double[100];
        for (int i = 0; i < p.length; i++) {
            p[i] = 50 + 5 * Math.sin(i / 3.0) + i * 0.1;
        }
        return TimeSeries.of("close", p);
    }

    private static StockPreprocessing saved() {
        return new StockRecipe(
                        "close",
                        Differencing.absolute(),
                        5,
                        ScalerKind.STANDARD,
                        new ChronologicalSplit(0.7, 0.15, 0.15))
                .fit(series());
    }

    @Test
    void withoutRefitTheFoldsSplitTheTestSplit() {
        List<Cut> cuts =
                Backtest.cuts(saved(), 100, new Backtest.Options(3, Backtest.Window.EXPANDING, false, OPTIONS));
        assertEquals(List.of(new Cut(0, 70, 85, 90), new Cut(0, 70, 90, 95), new Cut(0, 70, 95, 100)), cuts);
    }

    @Test
    void expandingRefitsTrainOnEverythingBefore() {
        // Train share of train + validation: 0.7 / 0.85; floor(85 * 0.8235) = 70, floor(90 * ..) = 74, floor(95 * ..) =
        // 78.
        List<Cut> cuts = Backtest.cuts(saved(), 100, new Backtest.Options(3, Backtest.Window.EXPANDING, true, OPTIONS));
        assertEquals(List.of(new Cut(0, 70, 85, 90), new Cut(0, 74, 90, 95), new Cut(0, 78, 95, 100)), cuts);
    }

    @Test
    void slidingRefitsKeepTheSavedRunsLengthOfHistory() {
        // 85 rows before each fold: [0, 85), [5, 90), [10, 95), each split 70 / 15.
        List<Cut> cuts = Backtest.cuts(saved(), 100, new Backtest.Options(3, Backtest.Window.SLIDING, true, OPTIONS));
        assertEquals(List.of(new Cut(0, 70, 85, 90), new Cut(5, 75, 90, 95), new Cut(10, 80, 95, 100)), cuts);
    }

    @Test
    void tooManyFoldsAreRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Backtest.cuts(saved(), 100, new Backtest.Options(16, Backtest.Window.EXPANDING, false, OPTIONS)));
        assertTrue(e.getMessage().contains("holds 15 rows: too few for 16 folds"), e.getMessage());
    }

    @Test
    void pooledErrorsAreTheWholeTestSplitsWithoutRefit() {
        TimeSeries s = series();
        double[] p = s.column("close");
        List<int[]> seen = new ArrayList<>();
        // A fake model: the last price plus a fixed 0.3, per origin.
        Backtest.FoldModel model = (fold, data) -> {
            int[] o = data.testOrigins();
            seen.add(o);
            double[][] f = new double[1][o.length];
            for (int i = 0; i < o.length; i++) {
                f[0][i] = p[o[i]] + 0.3;
            }
            return f;
        };
        Backtest.Result r = Backtest.run(
                saved(), s, new Backtest.Options(3, Backtest.Window.EXPANDING, false, OPTIONS), model, line -> {});
        assertArrayEquals(new int[] {84, 85, 86, 87, 88}, seen.get(0));
        assertArrayEquals(new int[] {94, 95, 96, 97, 98}, seen.get(2));
        assertEquals(15, r.pooled().forecasts());
        int[] all = new int[15];
        double[][] f = new double[1][15];
        for (int i = 0; i < 15; i++) {
            all[i] = 84 + i;
            f[0][i] = p[84 + i] + 0.3;
        }
        ForecastEvaluation whole = ForecastEvaluation.of(p, all, f, 0, 70, ForecastStrategy.RECURSIVE, OPTIONS);
        assertEquals(whole.theilsU(), r.pooled().theilsU(), 1e-15);
        assertEquals(whole.first().tests(), r.pooled().first().tests());
        assertEquals(3, r.toJson().get("perFold").size());
        assertTrue(r.report().get(0).startsWith("Backtest: 3 fold(s) over the test split (rows 85..99)"));
        double[][] u = Backtest.foldU(r);
        assertEquals(r.folds().get(1).evaluation().theilsU(), u[0][1], 0);
    }

    @Test
    void refitFoldsSeeTheirOwnScalers() {
        TimeSeries s = series();
        List<StockPreprocessing> fitted = new ArrayList<>();
        Backtest.run(
                saved(),
                s,
                new Backtest.Options(3, Backtest.Window.SLIDING, true, OPTIONS),
                (fold, data) -> {
                    fitted.add(data.preprocessing());
                    return new double[1][data.testOrigins().length];
                },
                line -> {});
        // Fold 3 trains on rows [10, 80): its scaler is fitted on the differences of those rows alone.
        double[] diffs = Differencing.absolute().apply(s.column("close"));
        double[] train = java.util.Arrays.copyOfRange(diffs, 10, 79);
        assertEquals(
                org.rnn4j.data.series.StandardScaler.fit(train),
                fitted.get(2).targetTransform().scaler());
        assertTrue(!fitted.get(0).equals(fitted.get(2)));
    }
}
