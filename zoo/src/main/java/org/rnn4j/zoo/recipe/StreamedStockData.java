package org.rnn4j.zoo.recipe;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.rnn4j.api.Model;
import org.rnn4j.api.data.IndexedDataset;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.series.DoubleSeries;
import org.rnn4j.data.series.SeriesColumns;
import org.rnn4j.data.window.WindowSpec;
import org.rnn4j.data.window.WindowedDataset;
import org.rnn4j.zoo.evaluation.EvaluationOptions;
import org.rnn4j.zoo.evaluation.ForecastEvaluation;
import org.rnn4j.zoo.evaluation.ForecastPlot;
import org.rnn4j.zoo.evaluation.ForecastScore;

/**
 * A series of any size cut by {@link StockPreprocessing#stream}: the windows {@link StockData}
 * holds as tensors, as datasets cut batch by batch from lazily transformed columns (e.g. of a
 * memory-mapped column cache). Training on it gives the batches and weights of the in-memory data.
 *
 * <p>Scoring reads the target column into the heap (8 bytes per row: the baselines need the
 * training rows) and forecasts the test origins {@value #ORIGINS_PER_CALL} at a time. The model sees
 * those smaller calls instead of one, which can move a score in its last digits; the plot shows the
 * last {@value #PLOT_POINTS} test forecasts.
 */
public final class StreamedStockData implements PreparedData {
    /** Test origins forecast per model call. */
    static final int ORIGINS_PER_CALL = 4096;
    /** The most one-step forecasts the plot draws (the last ones). */
    public static final int PLOT_POINTS = 2_000;

    private final StockPreprocessing preprocessing;
    private final SeriesColumns series;
    private final DoubleSeries prices;
    private final DoubleSeries[] encoded;
    private final Cut cut;
    private final WindowedDataset windows;
    private final StockWindows split;

    StreamedStockData(StockPreprocessing preprocessing, SeriesColumns series, DoubleSeries[] encoded, Cut cut) {
        this.preprocessing = preprocessing;
        this.series = series;
        this.prices = series.column(preprocessing.target());
        this.encoded = encoded;
        this.cut = cut;
        this.split = StockWindows.of(preprocessing, cut);
        this.windows = WindowedDataset.of(
                encoded,
                encoded[preprocessing.targetIndex()],
                new WindowSpec(preprocessing.window(), preprocessing.outputs(), 1));
    }

    @Override
    public StockPreprocessing preprocessing() {
        return preprocessing;
    }

    public Cut cut() {
        return cut;
    }

    /** The target column's raw values, read from the source. */
    public DoubleSeries prices() {
        return prices;
    }

    @Override
    public IndexedDataset trainingSet() {
        return windows.slice(split.trainFrom(), split.trainTo());
    }

    @Override
    public Optional<IndexedDataset> validationSet() {
        int from = split.validationFrom();
        int to = split.validationTo();
        return to > from ? Optional.of(windows.slice(from, to)) : Optional.empty();
    }

    @Override
    public IndexedDataset testSet() {
        return windows.slice(split.testFrom(), split.testTo());
    }

    /** The series rows the test forecasts start from, as {@link StockData#testOrigins()}. */
    public int[] testOrigins() {
        return split.testOrigins();
    }

    /**
     * Forecasts of the target {@code 1..horizon} rows after each test origin, {@code [horizon][origins]},
     * as {@link StockData#testForecasts}: made {@value #ORIGINS_PER_CALL} origins at a time from the
     * rows those origins need, each block read from the lazy columns into small arrays.
     */
    public double[][] testForecasts(UnaryOperator<Tensor> model) {
        int[] origins = testOrigins();
        int steps = preprocessing.horizon();
        double[][] out = new double[steps][origins.length];
        int k = preprocessing.order();
        int window = preprocessing.window();
        for (int from = 0; from < origins.length; from += ORIGINS_PER_CALL) {
            int to = Math.min(origins.length, from + ORIGINS_PER_CALL);
            // Rows from `offset` on cover the first origin's window (transformed rows) and, as
            // prices, the known values its forecast is rebuilt from (at most `order` before it).
            int offset = origins[from] - k - window + 1;
            int lastRow = origins[to - 1];
            double[][] enc = new double[encoded.length][];
            for (int f = 0; f < encoded.length; f++) {
                enc[f] = encoded[f].toArray(offset, lastRow - k + 1);
            }
            double[] known = prices.toArray(offset, lastRow + 1);
            int[] shifted = new int[to - from];
            for (int i = 0; i < shifted.length; i++) {
                shifted[i] = origins[from + i] - offset;
            }
            double[][] part = preprocessing.forecastFrom(enc, known, shifted, steps, model);
            for (int s = 0; s < steps; s++) {
                System.arraycopy(part[s], 0, out[s], from, part[s].length);
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return StockData.describe(preprocessing, series.length(), split) + ", streamed from a column cache";
    }

    @Override
    public String lossUnit() {
        return StockData.lossUnit(preprocessing);
    }

    @Override
    public ForecastScore score(Model model, EvaluationOptions options) {
        int[] origins = testOrigins();
        double[][] f = testForecasts(model::predict);
        double[] all = prices.toArray(0, prices.length());
        ForecastEvaluation ev = ForecastEvaluation.of(
                all, origins, f, cut.trainFrom(), cut.trainEnd(), preprocessing.strategy(), options);
        int n = Math.min(PLOT_POINTS, origins.length);
        int first = origins.length - n;
        double[] actual = new double[n];
        double[] naive = new double[n];
        for (int i = 0; i < n; i++) {
            actual[i] = all[origins[first + i] + 1];
            naive[i] = all[origins[first + i]];
        }
        ForecastPlot plot = new ForecastPlot(List.of(), actual, Arrays.copyOfRange(f[0], first, first + n), naive, 1);
        String header = StockData.header(preprocessing, origins.length)
                + (n < origins.length ? String.format(Locale.ROOT, " (forecast.png: the last %,d)", n) : "");
        return new ForecastScore(header, ev, plot);
    }

    /** Bytes scoring holds in the heap: the target column, and the forecasts and their scores' arrays. */
    public long scoringBytes() {
        return 8L * prices.length() + 8L * 6 * testOrigins().length * preprocessing.horizon();
    }
}
