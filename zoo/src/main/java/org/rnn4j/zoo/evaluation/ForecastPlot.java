package org.rnn4j.zoo.evaluation;

import java.time.LocalDate;
import java.util.List;

/**
 * What {@code forecast.png} draws for one step ahead on the test split: the true values, the
 * model's forecasts and the naive forecasts, by date when the series has dates.
 *
 * @param dates  one date per forecast, or an empty list (then the x axis is the test step)
 * @param actual the true values
 * @param model  the model's forecasts
 * @param naive  the naive last-value forecasts
 * @param step   how many steps ahead the forecasts are
 */
public record ForecastPlot(List<LocalDate> dates, double[] actual, double[] model, double[] naive, int step) {
    public ForecastPlot {
        dates = List.copyOf(dates);
        if (model.length != actual.length || naive.length != actual.length) {
            throw new IllegalArgumentException("a forecast plot needs as many forecasts as true values");
        }
        if (!dates.isEmpty() && dates.size() != actual.length) {
            throw new IllegalArgumentException("a forecast plot needs one date per value or none");
        }
    }

    public boolean hasDates() {
        return !dates.isEmpty();
    }

    /** {@code actual - model}, what the residual panel draws. */
    public double[] residuals() {
        double[] r = new double[actual.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = actual[i] - model[i];
        }
        return r;
    }
}
