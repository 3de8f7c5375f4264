package org.rnn4j.zoo.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.DoubleSeries;
import org.rnn4j.data.series.Scaler;
import org.rnn4j.data.series.SeriesColumns;
import org.rnn4j.data.series.TimeSeries;
import org.rnn4j.zoo.evaluation.ForecastStrategy;

/**
 * A fitted {@link StockRecipe}: the target column, each input column's differencing and fitted
 * scaler, the window, the horizon and the forecast strategy. Turns a raw series into model inputs
 * {@code [n, window, columns]} and model outputs ({@code [n, 1]} one step, {@code [n, horizon]}
 * direct) back into prices with the data module's exact inverses, so {@code evaluate} and
 * {@code forecast} work from raw prices.
 *
 * <p>Rows: with {@code K} the largest differencing order, transformed row {@code a} is series row
 * {@code a + K}. A window ending at series row {@code o} (its <em>origin</em>, the last known row)
 * predicts rows {@code o + 1 ..}.
 */
public record StockPreprocessing(
        String target,
        List<ColumnTransform> inputs,
        int window,
        int horizon,
        ForecastStrategy strategy,
        ChronologicalSplit split)
        implements Preprocessing {

    public static final String KIND = "stock";

    public StockPreprocessing {
        Objects.requireNonNull(target, "target");
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(split, "split");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("stock preprocessing needs at least one input column");
        }
        if (inputs.stream().noneMatch(c -> c.column().equalsIgnoreCase(target))) {
            throw new IllegalArgumentException("the target column '" + target + "' must be one of the input columns "
                    + inputs.stream().map(ColumnTransform::column).toList());
        }
        if (window < 1) {
            throw new IllegalArgumentException("stock preprocessing window must be >= 1, got " + window);
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("stock preprocessing horizon must be >= 1, got " + horizon);
        }
    }

    /** A univariate one-step preprocessing, as the article's. */
    public StockPreprocessing(
            String column, Differencing differencing, int window, Scaler scaler, ChronologicalSplit split) {
        this(
                column,
                List.of(new ColumnTransform(column, differencing, scaler)),
                window,
                1,
                ForecastStrategy.RECURSIVE,
                split);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The target column (the article's "column"). */
    public String column() {
        return target;
    }

    public List<String> columns() {
        return inputs.stream().map(ColumnTransform::column).toList();
    }

    /**
     * The same preprocessing reading its one column from {@code column} instead (e.g. a model of
     * {@code close} on another file's {@code Adj Close}); a model of several columns reads them by
     * their names only.
     */
    public StockPreprocessing readingColumn(String column) {
        if (column == null || column.equalsIgnoreCase(target)) {
            return this;
        }
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("this model reads the columns " + columns()
                    + " by name; --target/--column" + " renames the column of a one-column model only");
        }
        ColumnTransform t = inputs.get(0);
        return new StockPreprocessing(
                column,
                List.of(new ColumnTransform(column, t.differencing(), t.scaler())),
                window,
                horizon,
                strategy,
                split);
    }

    /** The largest differencing order {@code K}: rows lost at the start. */
    public int order() {
        return inputs.stream().mapToInt(ColumnTransform::order).max().orElse(0);
    }

    public int targetIndex() {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).column().equalsIgnoreCase(target)) {
                return i;
            }
        }
        throw new IllegalStateException("target not among the inputs");
    }

    public ColumnTransform targetTransform() {
        return inputs.get(targetIndex());
    }

    /** The model's outputs per window: the horizon for a direct model, else 1. */
    public int outputs() {
        return strategy == ForecastStrategy.DIRECT ? horizon : 1;
    }

    @Override
    public Sizes sizes() {
        return new Sizes(inputs.size(), outputs());
    }

    /** The fewest rows a forecast needs: one window of transformed rows. */
    public int minimumHistory() {
        return window + order();
    }

    /** The same transforms with the scalers re-fitted on rows {@code [cut.trainFrom() + K, cut.trainEnd())}, of the same kinds. */
    public StockPreprocessing refit(TimeSeries series, Cut cut) {
        return refit(series, cut, null);
    }

    /** Re-fits with {@code kind} for every column ({@code null}: each column keeps its scaler's kind). */
    StockPreprocessing refit(TimeSeries series, Cut cut, ScalerKind kind) {
        int k = order();
        checkLength(series.length(), cut);
        List<ColumnTransform> fitted = new ArrayList<>();
        for (ColumnTransform c : inputs) {
            double[] transformed = aligned(series, c, k);
            // Transformed row a is series row a + K: the training rows [trainFrom + K, trainEnd).
            double[] train = Arrays.copyOfRange(transformed, cut.trainFrom(), cut.trainEnd() - k);
            ScalerKind use = kind != null ? kind : ScalerKind.of(c.scaler());
            fitted.add(c.withScaler(use.fit(train)));
        }
        return new StockPreprocessing(target, fitted, window, horizon, strategy, split);
    }

    /**
     * As {@link #refit(TimeSeries, Cut, ScalerKind)} for a series of any size read lazily (e.g. a
     * memory-mapped column cache): each column's differences are computed as they are read, the
     * training rows give the scaler in one or two streaming passes (the same sums in the same order,
     * so the same numbers), and the other rows are read once to check them.
     */
    StockPreprocessing refit(SeriesColumns series, Cut cut, ScalerKind kind) {
        int k = order();
        checkLength(series.length(), cut);
        List<ColumnTransform> fitted = new ArrayList<>();
        for (ColumnTransform c : inputs) {
            try {
                DoubleSeries transformed = aligned(series, c, k);
                DoubleSeries.DoubleIndexConsumer check = (i, v) -> {};
                transformed.forEach(0, cut.trainFrom(), check);
                transformed.forEach(cut.trainEnd() - k, transformed.length(), check);
                ScalerKind use = kind != null ? kind : ScalerKind.of(c.scaler());
                DoubleSeries train = transformed.slice(cut.trainFrom(), cut.trainEnd() - k);
                if (use == ScalerKind.NONE) {
                    train.forEach(0, train.length(), check);
                }
                fitted.add(c.withScaler(use.fit(train)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column '" + c.column() + "': " + e.getMessage(), e);
            }
        }
        return new StockPreprocessing(target, fitted, window, horizon, strategy, split);
    }

    /** One column's transformed values at series rows {@code [K, n)}, unscaled, computed as they are read. */
    private static DoubleSeries aligned(SeriesColumns series, ColumnTransform c, int k) {
        DoubleSeries diffs = c.difference(series.column(c.column()));
        return diffs.slice(k - c.order(), diffs.length());
    }

    /**
     * Cuts a series of any size read lazily into datasets whose windows are made batch by batch,
     * with these (fitted) scalers: the windows, batches and float32 values of
     * {@link #windows(TimeSeries)} on the same series, nothing materialised.
     */
    public StreamedStockData stream(SeriesColumns series) {
        return stream(series, Cut.of(split, series.length()));
    }

    public StreamedStockData stream(SeriesColumns series, Cut cut) {
        checkLength(series.length(), cut);
        int k = order();
        DoubleSeries[] encoded = new DoubleSeries[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            encoded[i] = inputs.get(i).scale(aligned(series, inputs.get(i), k));
        }
        return new StreamedStockData(this, series, encoded, cut);
    }

    /** One column's transformed values at series rows {@code [K, n)}, unscaled. */
    private static double[] aligned(TimeSeries series, ColumnTransform c, int k) {
        double[] values = series.column(c.column());
        double[] diffs;
        try {
            diffs = c.difference(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("column '" + c.column() + "': " + e.getMessage(), e);
        }
        return Arrays.copyOfRange(diffs, k - c.order(), diffs.length);
    }

    /** Every input column transformed and scaled, {@code [columns][n - K]}, row {@code a} = series row {@code a + K}. */
    public double[][] encode(TimeSeries series) {
        int k = order();
        if (series.length() <= k) {
            throw new IllegalArgumentException(
                    "differencing of order " + k + " needs more than " + k + " rows, got " + series.length());
        }
        double[][] out = new double[inputs.size()][];
        for (int i = 0; i < inputs.size(); i++) {
            out[i] = inputs.get(i).scale(aligned(series, inputs.get(i), k));
        }
        return out;
    }

    /** Cuts {@code series} into train / validation / test windows by the saved split, with these (fitted) scalers. */
    public StockData windows(TimeSeries series) {
        return windows(series, Cut.of(split, series.length()));
    }

    /** Cuts {@code series} by {@code cut}, with these (fitted) scalers. */
    public StockData windows(TimeSeries series, Cut cut) {
        checkLength(series.length(), cut);
        return new StockData(this, series, encode(series), cut);
    }

    /** Univariate convenience: {@code prices} as the target column. */
    public StockData windows(double[] prices) {
        return windows(TimeSeries.of(target, prices));
    }

    /**
     * The forecasts {@code 1..steps} rows after each origin, on the price scale, {@code [steps][origins]}.
     * The one place where a model forecasts a series: a direct model's outputs are read at once; a
     * one-step model is run {@code steps} times, each prediction appended to its input window
     * (batched over the origins). Prices are rebuilt from the true prices up to each origin.
     *
     * @param encoded {@link #encode} of the series
     * @param prices  the target column, raw
     * @param origins series rows of the last known values, each at least {@link #minimumHistory()} - 1
     * @param model   maps {@code [origins, window, columns]} to {@code [origins, outputs]}
     */
    public double[][] forecastFrom(
            double[][] encoded, double[] prices, int[] origins, int steps, UnaryOperator<Tensor> model) {
        if (steps < 1) {
            throw new IllegalArgumentException("forecast steps must be >= 1, got " + steps);
        }
        int k = order();
        int features = inputs.size();
        int n = origins.length;
        if (strategy == ForecastStrategy.DIRECT && steps > horizon) {
            throw new IllegalArgumentException("the model forecasts " + horizon + " steps directly (Dense(" + horizon
                    + ") output); ask for at most " + horizon + " steps");
        }
        if (strategy == ForecastStrategy.RECURSIVE && steps > 1 && features > 1) {
            throw new IllegalArgumentException("a recursive forecast of " + steps + " steps feeds each prediction back,"
                    + " which needs the target as the only input; this model reads " + columns()
                    + ", so it forecasts one step; train a direct model for more");
        }
        float[] x = new float[Math.multiplyExact(n, window * features)];
        for (int i = 0; i < n; i++) {
            int last = origins[i] - k; // transformed row of the origin
            int first = last - window + 1;
            if (first < 0 || last >= encoded[0].length) {
                throw new IllegalArgumentException("origin row " + origins[i] + " needs " + minimumHistory()
                        + " rows of history (window " + window + " + differencing order " + k + ")");
            }
            for (int t = 0; t < window; t++) {
                for (int f = 0; f < features; f++) {
                    x[(i * window + t) * features + f] = (float) encoded[f][first + t];
                }
            }
        }
        double[][] scaled = new double[n][steps];
        if (strategy == ForecastStrategy.DIRECT) {
            float[] out = checked(model.apply(Tensor.of(x, n, window, features)), n, horizon);
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < steps; s++) {
                    scaled[i][s] = out[i * horizon + s];
                }
            }
        } else {
            for (int s = 0; s < steps; s++) {
                float[] out = checked(model.apply(Tensor.of(x.clone(), n, window, features)), n, 1);
                for (int i = 0; i < n; i++) {
                    scaled[i][s] = out[i];
                    if (s + 1 < steps) {
                        System.arraycopy(x, i * window + 1, x, i * window, window - 1);
                        x[i * window + window - 1] = out[i];
                    }
                }
            }
        }
        ColumnTransform t = targetTransform();
        double[][] prices2 = new double[steps][n];
        for (int i = 0; i < n; i++) {
            double[] rebuilt = t.rebuild(prices, origins[i] + 1, t.unscale(scaled[i]));
            for (int s = 0; s < steps; s++) {
                prices2[s][i] = rebuilt[s];
            }
        }
        return prices2;
    }

    private static float[] checked(Tensor out, int n, int units) {
        if (out.rank() != 2 || out.dim(0) != n || out.dim(1) != units) {
            throw new IllegalArgumentException(
                    "the model outputs shape " + Arrays.toString(out.shape()) + " but this preprocessing expects [" + n
                            + ", " + units + "]; was it trained with another horizon?");
        }
        float[] v = out.floatView();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalStateException("the model predicted " + v[i] + " (output " + i + ")");
            }
        }
        return v;
    }

    /** The next {@code steps} values of the target after the end of {@code series}, on the price scale. */
    public double[] forecast(TimeSeries series, int steps, UnaryOperator<Tensor> model) {
        if (series.length() < minimumHistory()) {
            throw new IllegalArgumentException("forecasting needs at least " + minimumHistory() + " rows (window "
                    + window + " + differencing order " + order() + "), got " + series.length());
        }
        double[][] f =
                forecastFrom(encode(series), series.column(target), new int[] {series.length() - 1}, steps, model);
        double[] out = new double[steps];
        for (int s = 0; s < steps; s++) {
            out[s] = f[s][0];
        }
        return out;
    }

    /** Univariate convenience: the next {@code steps} prices after {@code prices}. */
    public double[] forecast(double[] prices, int steps, UnaryOperator<Tensor> model) {
        return forecast(TimeSeries.of(target, prices), steps, model);
    }

    /** Checks that the cut leaves at least one training window and one test origin. */
    void checkLength(int length, Cut cut) {
        int lead = window + order();
        int trainWindows = cut.trainEnd() - cut.trainFrom() - lead - outputs() + 1;
        if (cut.testEnd() > length) {
            throw new IllegalArgumentException(
                    "the cut reaches row " + cut.testEnd() + " of a " + length + "-row series");
        }
        if (trainWindows < 1) {
            throw new IllegalArgumentException("the training split holds " + (cut.trainEnd() - cut.trainFrom())
                    + " of " + length + " rows but windows of " + window + " rows"
                    + (order() > 0 ? " (after differencing of order " + order() + ")" : "") + " predicting "
                    + outputs() + " step(s) need at least " + (lead + outputs())
                    + "; use a longer series, a smaller window or a larger train fraction");
        }
        int firstOrigin = Math.max(cut.validationEnd() - 1, cut.trainFrom() + lead - 1);
        if (cut.testEnd() - 1 - horizon < firstOrigin) {
            throw new IllegalArgumentException("the test split of " + (cut.testEnd() - cut.validationEnd()) + " rows"
                    + " holds no forecast " + horizon + " step(s) ahead; use a longer series, a larger test fraction"
                    + (horizon > 1 ? " or a shorter horizon" : ""));
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = Preprocessing.MAPPER.createObjectNode();
        o.put("kind", KIND);
        o.put("target", target);
        ArrayNode cols = o.putArray("columns");
        inputs.forEach(c -> cols.add(c.toJson()));
        o.put("window", window);
        o.put("horizon", horizon);
        o.put("strategy", strategy.jsonName());
        o.set("split", Preprocessing.MAPPER.valueToTree(split));
        return o;
    }

    static StockPreprocessing fromJson(JsonNode o) {
        String path = "$." + EXTRAS_FIELD;
        if (o.has("column")) {
            // The first format: one column, its differencing and scaler at the top level.
            Preprocessing.allowOnly(o, "kind", "column", "differencing", "window", "scaler", "split");
            String column = Preprocessing.requireText(o, "column");
            Differencing d = Preprocessing.convert(o, "differencing", Differencing.class);
            Scaler scaler = o.path("scaler").isNull() || o.path("scaler").isMissingNode()
                    ? null
                    : Preprocessing.convert(o, "scaler", Scaler.class);
            return new StockPreprocessing(
                    column,
                    d,
                    Preprocessing.requireInt(o, "window"),
                    scaler,
                    Preprocessing.convert(o, "split", ChronologicalSplit.class));
        }
        Preprocessing.allowOnly(o, "kind", "target", "columns", "window", "horizon", "strategy", "split");
        JsonNode cols = o.get("columns");
        if (cols == null || !cols.isArray() || cols.isEmpty()) {
            throw new SpecException(path + ".columns", "is required (an array of column transforms)");
        }
        List<ColumnTransform> inputs = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            inputs.add(ColumnTransform.fromJson(cols.get(i), path + ".columns[" + i + "]"));
        }
        ForecastStrategy strategy;
        try {
            strategy = ForecastStrategy.fromJson(Preprocessing.requireText(o, "strategy"));
        } catch (IllegalArgumentException e) {
            throw new SpecException(path + ".strategy", e.getMessage(), e);
        }
        return new StockPreprocessing(
                Preprocessing.requireText(o, "target"),
                inputs,
                Preprocessing.requireInt(o, "window"),
                Preprocessing.requireInt(o, "horizon"),
                strategy,
                Preprocessing.convert(o, "split", ChronologicalSplit.class));
    }
}
