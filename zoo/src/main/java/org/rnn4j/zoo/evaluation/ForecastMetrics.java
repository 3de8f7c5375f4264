package org.rnn4j.zoo.evaluation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Errors of price forecasts, on the price scale.
 *
 * @param rmse                root mean squared error
 * @param mae                 mean absolute error
 * @param mape                mean absolute percentage error, in percent ({@code 1.5} = 1.5 %);
 *                            {@code NaN} when an actual value is 0 (undefined)
 * @param directionalAccuracy the fraction of steps, in {@code [0, 1]}, whose predicted move from
 *                            the last known price (up, down or none) has the sign of the true
 *                            move; a forecast of "no change" is right only on days without change
 */
public record ForecastMetrics(double rmse, double mae, double mape, double directionalAccuracy) {

    /**
     * Scores {@code predicted} against {@code actual}; {@code previous[i]} is the last true price
     * known when {@code predicted[i]} was made (for the direction).
     */
    public static ForecastMetrics of(double[] actual, double[] predicted, double[] previous) {
        int n = actual.length;
        if (n == 0) {
            throw new IllegalArgumentException("cannot score an empty forecast");
        }
        if (predicted.length != n || previous.length != n) {
            throw new IllegalArgumentException("actual, predicted and previous prices must have the same length, got "
                    + n + ", " + predicted.length + ", " + previous.length);
        }
        double squares = 0;
        double absolute = 0;
        double percent = 0;
        int rightDirection = 0;
        for (int i = 0; i < n; i++) {
            double e = predicted[i] - actual[i];
            squares += e * e;
            absolute += Math.abs(e);
            percent += actual[i] == 0 ? Double.NaN : Math.abs(e / actual[i]);
            if (Math.signum(predicted[i] - previous[i]) == Math.signum(actual[i] - previous[i])) {
                rightDirection++;
            }
        }
        return new ForecastMetrics(
                Math.sqrt(squares / n), absolute / n, 100 * percent / n, (double) rightDirection / n);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("rmse", rmse);
        o.put("mae", mae);
        putFinite(o, "mape", mape);
        o.put("directionalAccuracy", directionalAccuracy);
        return o;
    }

    /** JSON has no NaN: an undefined number is written as {@code null}. */
    static void putFinite(ObjectNode o, String field, double value) {
        if (Double.isFinite(value)) {
            o.put(field, value);
        } else {
            o.putNull(field);
        }
    }
}
