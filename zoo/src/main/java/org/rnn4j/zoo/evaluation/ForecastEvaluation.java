package org.rnn4j.zoo.evaluation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Locale;

/**
 * A price model judged honestly: its one-step forecasts of the test split against the naive
 * last-value forecast of the same prices, both on the price scale. Theil's U is the model's RMSE
 * over the naive RMSE: below 1 the model beats the naive forecast.
 *
 * @param steps the number of test prices forecast
 */
public record ForecastEvaluation(int steps, ForecastMetrics model, ForecastMetrics naive, double theilsU) {

    /**
     * Scores {@code modelForecast}, the one-step forecasts of prices {@code [from, prices.length)},
     * against the naive forecast of the same prices.
     */
    public static ForecastEvaluation of(double[] prices, int from, double[] modelForecast) {
        double[] actual = Arrays.copyOfRange(prices, from, prices.length);
        if (modelForecast.length != actual.length) {
            throw new IllegalArgumentException("expected " + actual.length + " model forecasts for prices [" + from
                    + ", " + prices.length + "), got " + modelForecast.length);
        }
        double[] previous = NaiveForecast.lastValue(prices, from);
        ForecastMetrics m = ForecastMetrics.of(actual, modelForecast, previous);
        ForecastMetrics n = NaiveForecast.score(prices, from);
        return new ForecastEvaluation(
                actual.length, m, n, n.rmse() == 0 ? Double.POSITIVE_INFINITY : m.rmse() / n.rmse());
    }

    public boolean beatsNaive() {
        return theilsU < 1;
    }

    /** The {@code evaluation.json} document: {@code model} and {@code naive} metrics and {@code theilsU}. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("split", "test");
        o.put("scale", "price");
        o.put("steps", steps);
        o.set("model", model.toJson());
        o.set("naive", naive.toJson());
        o.put("theilsU", theilsU);
        o.put("beatsNaive", beatsNaive());
        return o;
    }

    /** A small table for people. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-8s %12s %12s %10s %12s%n", "", "RMSE", "MAE", "MAPE %", "direction"));
        row(b, "model", model);
        row(b, "naive", naive);
        b.append(String.format(
                Locale.ROOT, "Theil's U = %.4f (model RMSE / naive RMSE, %d test steps)%n", theilsU, steps));
        b.append(
                        "(direction: share of steps whose predicted move up/down/none matches the true move; the naive forecast always"
                                + " predicts none)")
                .append(System.lineSeparator());
        return b.toString();
    }

    private static void row(StringBuilder b, String name, ForecastMetrics m) {
        b.append(String.format(
                Locale.ROOT,
                "%-8s %12.4f %12.4f %10.4f %11.1f%%%n",
                name,
                m.rmse(),
                m.mae(),
                m.mape(),
                100 * m.directionalAccuracy()));
    }

    /** One plain sentence on whether the model beat the naive forecast. */
    public String verdict() {
        double change = 100 * Math.abs(1 - theilsU);
        return beatsNaive()
                // Four decimals, as the Theil's U line above it: 0.9998 must not print as "1.000 < 1".
                ? String.format(
                        Locale.ROOT,
                        "The model BEAT the naive last-value forecast on the test split (Theil's U %.4f < 1:"
                                + " its RMSE is %.2f %% lower).",
                        theilsU,
                        change)
                : String.format(
                        Locale.ROOT,
                        "The model did NOT beat the naive last-value forecast on the test split (Theil's U %.4f >= 1:"
                                + " its RMSE is %.2f %% higher).",
                        theilsU,
                        change);
    }
}
