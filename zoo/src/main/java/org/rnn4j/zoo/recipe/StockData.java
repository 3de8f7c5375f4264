package org.rnn4j.zoo.recipe;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.rnn4j.api.Model;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.series.TimeSeries;
import org.rnn4j.data.window.WindowSpec;
import org.rnn4j.data.window.WindowedDataset;
import org.rnn4j.zoo.evaluation.EvaluationOptions;
import org.rnn4j.zoo.evaluation.ForecastEvaluation;
import org.rnn4j.zoo.evaluation.ForecastPlot;
import org.rnn4j.zoo.evaluation.ForecastScore;

/**
 * A series cut by a {@link StockPreprocessing}: windows of scaled, transformed rows
 * {@code [n, window, columns]} with the target's next value(s) {@code [n, outputs]} for training,
 * validation and test, and the test <em>origins</em> (the last known rows) the model is judged
 * from, {@link StockPreprocessing#horizon()} steps ahead each.
 */
public final class StockData implements PreparedData {
    private final StockPreprocessing preprocessing;
    private final TimeSeries series;
    private final double[] prices;
    private final double[][] encoded;
    private final Cut cut;
    private final WindowedDataset windows;
    private final StockWindows split;

    StockData(StockPreprocessing preprocessing, TimeSeries series, double[][] encoded, Cut cut) {
        this.preprocessing = preprocessing;
        this.series = series;
        this.prices = series.column(preprocessing.target());
        this.encoded = encoded;
        this.cut = cut;
        this.split = StockWindows.of(preprocessing, cut);
        int target = preprocessing.targetIndex();
        this.windows = WindowedDataset.of(
                encoded, encoded[target], new WindowSpec(preprocessing.window(), preprocessing.outputs(), 1));
    }

    @Override
    public StockPreprocessing preprocessing() {
        return preprocessing;
    }

    /** The series as read (every column, dates if any). */
    public TimeSeries series() {
        return series;
    }

    /** The target column's raw values. */
    public double[] prices() {
        return prices.clone();
    }

    public Cut cut() {
        return cut;
    }

    private TensorDataset set(int from, int to) {
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        Batch b = windows.batch(rows);
        return TensorDataset.of(b.x(), b.y());
    }

    @Override
    public TensorDataset trainingSet() {
        return set(split.trainFrom(), split.trainTo());
    }

    @Override
    public Optional<TensorDataset> validationSet() {
        int from = split.validationFrom();
        int to = split.validationTo();
        return to > from ? Optional.of(set(from, to)) : Optional.empty();
    }

    /** The test windows with their next-value targets (one step, or the direct horizon). */
    @Override
    public TensorDataset testSet() {
        return set(split.testFrom(), split.testTo());
    }

    /** The series rows the test forecasts start from: each is the last row known when forecasting. */
    public int[] testOrigins() {
        return split.testOrigins();
    }

    /** The first test row forecast one step ahead. */
    public int firstTestPriceIndex() {
        return testOrigins()[0] + 1;
    }

    /** Forecasts of the target {@code 1..horizon} rows after each test origin, {@code [horizon][origins]}. */
    public double[][] testForecasts(UnaryOperator<Tensor> model) {
        return preprocessing.forecastFrom(encoded, prices, testOrigins(), preprocessing.horizon(), model);
    }

    @Override
    public String describe() {
        return describe(preprocessing, series.length(), split);
    }

    /** One line for people, the same for streamed data. */
    static String describe(StockPreprocessing preprocessing, int rows, StockWindows split) {
        String columns = preprocessing.inputs().size() == 1
                ? preprocessing.target()
                : preprocessing.columns() + " -> " + preprocessing.target();
        return String.format(
                Locale.ROOT,
                "%s, %d rows -> %d train / %d validation / %d test windows%s",
                columns,
                rows,
                split.trainTo() - split.trainFrom(),
                split.validationTo() - split.validationFrom(),
                split.testTo() - split.testFrom(),
                preprocessing.horizon() == 1
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", %d step(s) ahead (%s)",
                                preprocessing.horizon(),
                                preprocessing.strategy().jsonName()));
    }

    @Override
    public String lossUnit() {
        return lossUnit(preprocessing);
    }

    static String lossUnit(StockPreprocessing preprocessing) {
        return preprocessing.targetTransform().differencing() == null ? "of scaled values" : "of scaled differences";
    }

    @Override
    public ForecastScore score(Model model, EvaluationOptions options) {
        int[] origins = testOrigins();
        double[][] f = testForecasts(model::predict);
        ForecastEvaluation ev = ForecastEvaluation.of(
                prices, origins, f, cut.trainFrom(), cut.trainEnd(), preprocessing.strategy(), options);
        return new ForecastScore(header(preprocessing, origins.length), ev, plot(origins, f[0]));
    }

    static String header(StockPreprocessing preprocessing, int n) {
        int h = preprocessing.horizon();
        return String.format(
                Locale.ROOT,
                "Test split: %d forecasts of %s, %s, on the original scale:",
                n,
                preprocessing.target(),
                h == 1
                        ? "one step ahead"
                        : "1 to " + h + " steps ahead ("
                                + preprocessing.strategy().jsonName() + ")");
    }

    /** One step ahead: the true values, the model's and the naive forecasts, dated when the series is. */
    private ForecastPlot plot(int[] origins, double[] oneStep) {
        int n = origins.length;
        double[] actual = new double[n];
        double[] naive = new double[n];
        for (int i = 0; i < n; i++) {
            actual[i] = prices[origins[i] + 1];
            naive[i] = prices[origins[i]];
        }
        List<LocalDate> dates =
                series.hasDates() ? series.dates().subList(origins[0] + 1, origins[n - 1] + 2) : List.of();
        return new ForecastPlot(dates, actual, Arrays.copyOf(oneStep, n), naive, 1);
    }
}
