package org.rnn4j.zoo.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Prices 10, 11, 10.5, 12, 12; the test split is prices 2..4 (10.5, 12, 12), each forecast one
 * step ahead. Every expected number below is worked out by hand.
 */
class ForecastEvaluationTest {
    private static final double[] PRICES = {10, 11, 10.5, 12, 12};
    private static final double EPS = 1e-9;

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
        ForecastEvaluation ev = ForecastEvaluation.of(PRICES, 2, new double[] {10.8, 11.5, 12.3});
        assertEquals(3, ev.steps());
        assertEquals(Math.sqrt((0.09 + 0.25 + 0.09) / 3), ev.model().rmse(), EPS); // 0.378594...
        assertEquals((0.3 + 0.5 + 0.3) / 3, ev.model().mae(), EPS);
        assertEquals(100 * (0.3 / 10.5 + 0.5 / 12 + 0.3 / 12) / 3, ev.model().mape(), EPS); // 3.1746 %
        // moves from the previous true price: predicted -0.2, +1.0, +0.3 vs true -0.5, +1.5, 0: two of three right.
        assertEquals(2.0 / 3, ev.model().directionalAccuracy(), EPS);
        assertEquals(0.378593889 / 0.912870929, ev.theilsU(), 1e-8);
        assertTrue(ev.beatsNaive());
        assertTrue(ev.verdict().contains("BEAT"));
        // U = 0.414727..., 58.527...% lower; four decimals, so a U of 0.9998 cannot read "1.000 < 1"
        assertTrue(ev.verdict().contains("(Theil's U 0.4147 < 1: its RMSE is 58.53 % lower)"), ev.verdict());
    }

    @Test
    void naiveScoredAsAModelHasTheilsUOne() {
        ForecastEvaluation ev = ForecastEvaluation.of(PRICES, 2, NaiveForecast.lastValue(PRICES, 2));
        assertEquals(1.0, ev.theilsU(), EPS);
        assertFalse(ev.beatsNaive());
        assertTrue(ev.verdict().contains("did NOT beat"));
    }

    @Test
    void jsonHasModelNaiveAndTheilsU() {
        ObjectNode json = ForecastEvaluation.of(PRICES, 2, new double[] {10.8, 11.5, 12.3})
                .toJson();
        for (String group : new String[] {"model", "naive"}) {
            for (String f : new String[] {"rmse", "mae", "mape", "directionalAccuracy"}) {
                assertTrue(json.get(group).get(f).isNumber(), group + "." + f);
            }
        }
        assertTrue(json.get("theilsU").isNumber());
        assertEquals(0.6666666666666666, json.get("naive").get("mae").asDouble(), EPS);
    }

    @Test
    void lengthsMustMatch() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ForecastEvaluation.of(PRICES, 2, new double[] {1, 2}));
        assertEquals("expected 3 model forecasts for prices [2, 5), got 2", e.getMessage());
    }

    @Test
    void languageModelScoreInBits() {
        LanguageModelScore s = new LanguageModelScore("character", 100, Math.log(4));
        assertEquals(2.0, s.bitsPerToken(), EPS);
        assertEquals(4.0, s.perplexity(), EPS);
        assertEquals(2.0, s.toJson().get("bitsPerCharacter").asDouble(), EPS);
    }
}
