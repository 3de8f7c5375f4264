package org.rnn4j.zoo.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.zoo.stats.BlockBootstrap;
import org.rnn4j.zoo.stats.DieboldMariano;

/**
 * Prices 10, 11, 10.5, 12, 12; the test split is prices 2..4 (10.5, 12, 12), each forecast one
 * step ahead. Every expected number in the first tests is worked out by hand.
 */
class ForecastEvaluationTest {
    private static final double[] PRICES = {10, 11, 10.5, 12, 12};
    private static final double EPS = 1e-9;
    private static final EvaluationOptions OPTIONS = EvaluationOptions.defaults();

    @Test
    void naiveForecastIsThePreviousPrice() {
        assertArrayEquals(new double[] {11, 10.5, 12}, NaiveForecast.lastValue(PRICES, 2));
    }

    @Test
    void naiveMetricsByHand() {
        // errors naive - actual: 11 - 10.5 = 0.5, 10.5 - 12 = -1.5, 12 - 12 = 0
        ForecastMetrics m = NaiveForecast.score(PRICES, 2);
        assertEquals(Math.sqrt((0.25 + 2.25 + 0) / 3), m.rmse(), EPS); // 0.912870929...
        assertEquals(0.912870929175, m.rmse(), 1e-12);
        assertEquals((0.5 + 1.5 + 0) / 3, m.mae(), EPS); // 0.6667
        assertEquals(100 * (0.5 / 10.5 + 1.5 / 12 + 0) / 3, m.mape(), EPS); // 5.7540 %
        assertEquals(5.753968253968, m.mape(), 1e-9);
        // "no change" predicted every day: right only on the day the price did not move (12 -> 12).
        assertEquals(1.0 / 3, m.directionalAccuracy(), EPS);
    }

    @Test
    void modelAgainstNaiveByHand() {
        // errors model - actual: 0.3, -0.5, 0.3
        ForecastEvaluation ev = ForecastEvaluation.oneStep(PRICES, 2, new double[] {10.8, 11.5, 12.3}, 2, OPTIONS);
        assertEquals(3, ev.forecasts());
        StepEvaluation s = ev.first();
        assertEquals(Math.sqrt((0.09 + 0.25 + 0.09) / 3), s.model().rmse(), EPS); // 0.378594...
        assertEquals((0.3 + 0.5 + 0.3) / 3, s.model().mae(), EPS);
        assertEquals(100 * (0.3 / 10.5 + 0.5 / 12 + 0.3 / 12) / 3, s.model().mape(), EPS); // 3.1746 %
        // moves from the previous true price: predicted -0.2, +1.0, +0.3 vs true -0.5, +1.5, 0: two of three right.
        assertEquals(2.0 / 3, s.model().directionalAccuracy(), EPS);
        assertEquals(0.378593889 / 0.912870929, ev.theilsU(), 1e-8);
        // U = 0.41, yet three forecasts cannot show a difference: d = 0.09-0.25, 0.25-2.25, 0.09-0 = -0.16, -2, 0.09.
        DieboldMariano.Result dm = s.tests().get(Baseline.NAIVE).squared();
        assertEquals((-0.16 - 2 + 0.09) / 3, dm.meanDifference(), 1e-12);
        assertEquals(Verdict.NO_EVIDENCE, ev.verdict());
        assertTrue(ev.verdictLine(s).contains(": no evidence of a difference ("), ev.verdictLine(s));
        assertTrue(ev.smallSampleWarning().orElseThrow().startsWith("only 3 test forecasts"));
    }

    @Test
    void baselinesByHand() {
        double[] p = {10, 12, 11, 13, 14, 13};
        int[] origins = {3, 4}; // forecasts of p[4] = 14 and p[5] = 13 one step ahead
        // drift: y[o] + (y[o] - y[0]) / o: 13 + 3/3 = 14; 14 + 4/4 = 15.
        assertArrayEquals(new double[] {14, 15}, Baseline.DRIFT.forecasts(p, origins, 1, 0, 3, 0), 1e-12);
        // two steps ahead from origin 3: 13 + 2 * 3/3 = 15.
        assertArrayEquals(new double[] {15}, Baseline.DRIFT.forecasts(p, new int[] {3}, 2, 0, 3, 0), 1e-12);
        // training mean of rows [0, 3): 11.
        assertArrayEquals(new double[] {11, 11}, Baseline.MEAN.forecasts(p, origins, 1, 0, 3, 0), 1e-12);
        // seasonal naive, season 2: one step ahead of origin o is y[o + 1 - 2] = y[o - 1]; two steps: y[o].
        assertArrayEquals(new double[] {11, 13}, Baseline.SEASONAL_NAIVE.forecasts(p, origins, 1, 0, 3, 2), 1e-12);
        assertArrayEquals(new double[] {13}, Baseline.SEASONAL_NAIVE.forecasts(p, new int[] {3}, 2, 0, 3, 2), 1e-12);
        // season 3, three steps ahead of 3: y[3 + 3 - 3] = 13.
        assertArrayEquals(new double[] {13}, Baseline.SEASONAL_NAIVE.forecasts(p, new int[] {3}, 3, 0, 3, 3), 1e-12);
    }

    @Test
    void directionAgainstAlwaysUpAndTheTrainingMajority() {
        // Training moves (rows 0..4): up, up, down, up: majority up. Test moves: +1, -1, +1 from origins 4, 5, 6.
        double[] p = {1, 2, 3, 2, 3, 4, 3, 4};
        double[] model = {5, 5, 5}; // always up
        ForecastEvaluation ev = ForecastEvaluation.of(
                p, new int[] {4, 5, 6}, new double[][] {model}, 0, 5, ForecastStrategy.RECURSIVE, OPTIONS);
        DirectionScore d = ev.first().direction();
        assertEquals(3, d.predictedUp());
        assertEquals(2, d.actualUp());
        assertEquals(2.0 / 3, d.modelAccuracy(), EPS);
        assertEquals(2.0 / 3, d.alwaysUp(), EPS);
        assertTrue(d.majorityUp());
        assertEquals(2.0 / 3, d.majority(), EPS);
        assertTrue(d.describe().contains("predicting up 3 times"), d.describe());
    }

    /** The model is the naive forecast plus independent noise much smaller than the moves. */
    private static ForecastEvaluation naivePlusNoise(long seed, int n, EvaluationOptions options) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] p = new double[n + 1];
        p[0] = 100;
        for (int t = 1; t <= n; t++) {
            p[t] = p[t - 1] + r.nextGaussian();
        }
        double[] model = new double[n];
        for (int i = 0; i < n; i++) {
            model[i] = p[i] + 0.01 * r.nextGaussian();
        }
        return ForecastEvaluation.oneStep(p, 1, model, n / 2, options);
    }

    @Test
    void naivePlusNoiseGivesNoEvidence() {
        ForecastEvaluation ev = naivePlusNoise(11, 500, OPTIONS);
        StepEvaluation s = ev.first();
        assertEquals(Verdict.NO_EVIDENCE, ev.verdict(), ev.verdictLine(s));
        assertTrue(s.tests().get(Baseline.NAIVE).squared().pValue() > 0.05);
        assertTrue(s.theilsUInterval().contains(1.0), s.theilsUInterval().toString());
        assertTrue(ev.smallSampleWarning().isEmpty());
        assertTrue(ev.verdictLine(s).contains(": no evidence of a difference ("), ev.verdictLine(s));
        // Not luck of one seed: over 200 such series the test claims a difference about as often as its level.
        int claims = 0;
        EvaluationOptions quick = new EvaluationOptions(0.05, 100, 42, 0);
        for (long seed = 0; seed < 200; seed++) {
            claims += naivePlusNoise(1000 + seed, 300, quick).verdict() == Verdict.NO_EVIDENCE ? 0 : 1;
        }
        assertTrue(claims <= 20, claims + " of 200 claimed a difference");
    }

    /** A sine wave: a model that knows its shape beats "tomorrow = today" by far. */
    @Test
    void aModelThatKnowsTheSineWaveIsBetter() {
        int n = 400;
        double[] p = new double[n];
        SplittableRandom r = new SplittableRandom(5);
        for (int t = 0; t < n; t++) {
            p[t] = 100 + 10 * Math.sin(2 * Math.PI * t / 25);
        }
        double[] model = new double[n - 300];
        for (int i = 0; i < model.length; i++) {
            model[i] = p[300 + i] + 0.1 * r.nextGaussian();
        }
        ForecastEvaluation ev = ForecastEvaluation.oneStep(p, 300, model, 200, OPTIONS);
        assertEquals(Verdict.BETTER, ev.verdict());
        assertTrue(ev.theilsU() < 0.1);
        assertTrue(ev.first().theilsUInterval().upper() < 1);
        assertTrue(ev.verdictLine(ev.first()).contains(": better ("));
        // Reversed roles: the naive forecast against a model that is worse.
        double[] bad = new double[model.length];
        for (int i = 0; i < bad.length; i++) {
            bad[i] = p[300 + i] + 5 * (i % 2 == 0 ? 1 : -1);
        }
        assertEquals(
                Verdict.WORSE,
                ForecastEvaluation.oneStep(p, 300, bad, 200, OPTIONS).verdict());
    }

    @Test
    void theVerdictFollowsTheLevel() {
        // A small, real gain: p about 0.01 at the default seed, so better at 5% but not at 0.1%.
        int n = 300;
        SplittableRandom r = new SplittableRandom(21);
        double[] p = new double[n + 1];
        p[0] = 100;
        for (int t = 1; t <= n; t++) {
            p[t] = p[t - 1] + r.nextGaussian();
        }
        double[] model = new double[n];
        for (int i = 0; i < n; i++) {
            model[i] = p[i] + 0.05 * (p[i + 1] - p[i]) + 0.2 * r.nextGaussian();
        }
        ForecastEvaluation loose = ForecastEvaluation.oneStep(p, 1, model, 100, OPTIONS.withAlpha(0.05));
        double pValue = loose.first().tests().get(Baseline.NAIVE).squared().pValue();
        assertTrue(pValue < 0.05 && pValue > 0.001, "p = " + pValue);
        assertEquals(Verdict.BETTER, loose.verdict());
        ForecastEvaluation strict = ForecastEvaluation.oneStep(p, 1, model, 100, OPTIONS.withAlpha(0.001));
        assertEquals(Verdict.NO_EVIDENCE, strict.verdict());
        assertTrue(
                strict.verdictLine(strict.first()).contains("at the 0.1% level"), strict.verdictLine(strict.first()));
    }

    @Test
    void jsonHasModelNaiveTheilsUTheTestsAndTheVerdict() {
        ObjectNode json = ForecastEvaluation.oneStep(PRICES, 2, new double[] {10.8, 11.5, 12.3}, 2, OPTIONS)
                .toJson();
        for (String group : new String[] {"model", "naive"}) {
            for (String f : new String[] {"rmse", "mae", "mape", "directionalAccuracy"}) {
                assertTrue(json.get(group).get(f).isNumber(), group + "." + f);
            }
        }
        assertTrue(json.get("theilsU").isNumber());
        assertEquals(0.6666666666666666, json.get("naive").get("mae").asDouble(), EPS);
        assertEquals("no evidence of a difference", json.get("verdict").asText());
        assertTrue(json.get("dieboldMariano")
                .get("naive")
                .get("squared")
                .get("pValue")
                .isNumber());
        assertTrue(json.get("baselines").has("drift"));
        assertTrue(json.get("baselines").has("mean"));
        assertTrue(json.has("warning"));
        assertEquals(
                BlockBootstrap.DEFAULT_RESAMPLES,
                json.get("theilsUInterval").get("resamples").asInt());
        assertNull(json.get("beatsNaive"));
    }

    @Test
    void perStepEvaluationsForSeveralSteps() {
        double[] p = new double[60];
        for (int t = 0; t < p.length; t++) {
            p[t] = 50 + t % 7;
        }
        int[] origins = new int[20];
        double[][] model = new double[3][20];
        for (int i = 0; i < 20; i++) {
            origins[i] = 36 + i;
            for (int h = 0; h < 3; h++) {
                model[h][i] = p[origins[i] + h + 1] + (h + 1) * 0.01;
            }
        }
        ForecastEvaluation ev = ForecastEvaluation.of(p, origins, model, 0, 30, ForecastStrategy.DIRECT, OPTIONS);
        assertEquals(3, ev.horizon());
        assertEquals(0.03, ev.steps().get(2).model().rmse(), 1e-9);
        assertEquals(3, ev.steps().get(2).tests().get(Baseline.NAIVE).squared().horizon());
        assertEquals(3, ev.toJson().get("horizons").size());
        assertTrue(ev.horizonTable().lines().count() == 4, ev.horizonTable());
        assertFalse(ev.report().isEmpty());
    }

    @Test
    void lengthsMustMatch() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ForecastEvaluation.oneStep(PRICES, 2, new double[] {1, 2}, 2, OPTIONS));
        assertEquals("expected 3 model forecasts for prices [2, 5), got 2", e.getMessage());
    }

    @Test
    void languageModelScoreInBitsBesideTheUnigramEntropy() {
        LanguageModelScore s = new LanguageModelScore("character", 100, Math.log(4), 1.5);
        assertEquals(2.0, s.bitsPerToken(), EPS);
        assertEquals(4.0, s.perplexity(), EPS);
        assertEquals(2.0, s.toJson().get("bitsPerCharacter").asDouble(), EPS);
        assertEquals(1.5, s.toJson().get("unigramBitsPerCharacter").asDouble(), EPS);
        assertTrue(s.describe().contains("no better than the text's own character frequencies"), s.describe());
        // By hand: ids a a b c -> p = 1/2, 1/4, 1/4 -> 0.5 + 0.5 + 0.5 = 1.5 bits.
        assertEquals(1.5, LanguageModelScore.unigramEntropyBits(new int[] {7, 7, 8, 9}), 1e-12);
    }
}
