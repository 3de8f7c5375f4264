package org.rnn4j.cli;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.rnn4j.api.Model;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.zoo.evaluation.ForecastEvaluation;
import org.rnn4j.zoo.evaluation.LanguageModelScore;
import org.rnn4j.zoo.evaluation.NaiveForecast;
import org.rnn4j.zoo.recipe.StockData;
import org.rnn4j.zoo.recipe.TextData;
import org.rnn4j.zoo.recipe.WordPreprocessing;

/** Scores a trained model on the test split, shared by {@code train} and {@code evaluate}. */
final class Scoring {
    private Scoring() {}

    /** One-step forecasts of the test prices, and the evaluation against the naive forecast. */
    record StockScore(double[] actual, double[] model, double[] naive, ForecastEvaluation evaluation) {
        byte[] plot(String title, DataSources.Series series, StockData data) throws java.io.IOException {
            List<LocalDate> dates = null;
            if (series.series().hasDates()) {
                dates = series.series()
                        .dates()
                        .subList(data.firstTestPriceIndex(), data.firstTestPriceIndex() + data.testSize());
            }
            return Charts.forecast(title, dates, actual, model, naive);
        }
    }

    static StockScore stock(Model model, StockData data) {
        Tensor predicted = model.predict(data.testX());
        double[] forecast = data.testForecast(predicted);
        ForecastEvaluation ev = ForecastEvaluation.of(data.prices(), data.firstTestPriceIndex(), forecast);
        return new StockScore(
                data.testActual(), forecast, NaiveForecast.lastValue(data.prices(), data.firstTestPriceIndex()), ev);
    }

    static LanguageModelScore text(Model model, TextData data, int batchSize) {
        if (!data.hasTest()) {
            throw new IllegalArgumentException(
                    "the test split of the text is shorter than one sequence; use a longer text");
        }
        Map<String, Double> logs = model.evaluate(data.testX(), data.testY(), batchSize);
        String unit = data.preprocessing() instanceof WordPreprocessing ? "word" : "character";
        return new LanguageModelScore(unit, data.testY().size(), logs.get("loss"));
    }
}
