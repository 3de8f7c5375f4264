package org.rnn4j.zoo.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.SeriesColumns;
import org.rnn4j.data.series.TimeSeries;
import org.rnn4j.zoo.evaluation.ForecastStrategy;

/**
 * The article's stock recipe, grown up: one or more columns of a series (each differenced and
 * scaled on its own, the scalers fitted on the training rows only) cut into windows of
 * {@code window} rows that predict the target column's next value (one step, as the article) or its
 * next {@code horizon} values at once ({@link ForecastStrategy#DIRECT}, a {@code Dense(horizon)}
 * head). With {@link ForecastStrategy#RECURSIVE} and a horizon above 1 the model still predicts one
 * step, and is evaluated {@code horizon} steps ahead by feeding its predictions back.
 *
 * <p>The series is split chronologically into train / validation / test rows; a window belongs to
 * a split when every value it predicts lies in it, so its inputs may reach back into an earlier
 * split (known history) but never forward.
 *
 * @param column       the target column, matched ignoring case ({@code Close} finds {@code close})
 * @param columns      the input columns in model order, the target among them; empty means just the target
 * @param differencing absolute or percent differences of some order, or {@code null} for none
 * @param window       input rows per window, {@code [window, columns]} model input
 * @param horizon      steps ahead to forecast and evaluate, >= 1
 * @param strategy     how several steps are forecast
 * @param scaler       the scaler kind fitted per column on the training rows
 * @param split        train / validation / test fractions of the rows
 */
public record StockRecipe(
        String column,
        List<String> columns,
        Differencing differencing,
        int window,
        int horizon,
        ForecastStrategy strategy,
        ScalerKind scaler,
        ChronologicalSplit split)
        implements Recipe {

    public StockRecipe {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("stock recipe column must name a price column, e.g. Close");
        }
        columns = List.copyOf(columns);
        if (!columns.isEmpty() && columns.stream().noneMatch(c -> c.equalsIgnoreCase(column))) {
            throw new IllegalArgumentException("the target column '" + column + "' must be one of the input columns "
                    + columns + "; add it to the columns (--columns ..." + column + ")");
        }
        for (int i = 0; i < columns.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (columns.get(i).equalsIgnoreCase(columns.get(j))) {
                    throw new IllegalArgumentException("column '" + columns.get(i) + "' is named twice in " + columns);
                }
            }
        }
        if (window < 1) {
            throw new IllegalArgumentException("stock recipe window must be >= 1, got " + window);
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("stock recipe horizon must be >= 1, got " + horizon);
        }
        Objects.requireNonNull(strategy, "stock recipe strategy must be set (recursive or direct)");
        Objects.requireNonNull(scaler, "stock recipe scaler must be set (NONE for no scaling)");
        Objects.requireNonNull(split, "stock recipe split must be set");
        if (split.test() <= 0) {
            throw new IllegalArgumentException(
                    "stock recipe split needs a test fraction > 0 for an honest evaluation, got " + split);
        }
        if (strategy == ForecastStrategy.RECURSIVE && horizon > 1 && columns.size() > 1) {
            throw new IllegalArgumentException(
                    "a recursive forecast feeds each prediction back as the next input, so it"
                            + " needs the target as the only input column, but the inputs are " + columns
                            + "; forecast several columns' future directly (a direct strategy with a Dense(horizon) output)");
        }
    }

    /** A univariate one-step recipe on {@code column}. */
    public StockRecipe(
            String column, Differencing differencing, int window, ScalerKind scaler, ChronologicalSplit split) {
        this(column, List.of(), differencing, window, 1, ForecastStrategy.RECURSIVE, scaler, split);
    }

    /** The article's setting: Close, percent differences, windows of 50, standardised, 70/15/15, one step. */
    public static StockRecipe article() {
        return new StockRecipe(
                "Close", Differencing.percent(), 50, ScalerKind.STANDARD, new ChronologicalSplit(0.7, 0.15, 0.15));
    }

    /** The input columns in model order. */
    public List<String> inputColumns() {
        return columns.isEmpty() ? List.of(column) : columns;
    }

    /** The target {@code c}; a univariate recipe reads {@code c} alone. */
    public StockRecipe withColumn(String c) {
        List<String> keep = columns.size() == 1 ? List.of() : columns;
        return new StockRecipe(c, keep, differencing, window, horizon, strategy, scaler, split);
    }

    /** Several input columns, {@code target} among them. */
    public StockRecipe withColumns(List<String> inputs, String target) {
        return new StockRecipe(
                target,
                inputs.size() == 1 ? List.of() : inputs,
                differencing,
                window,
                horizon,
                strategy,
                scaler,
                split);
    }

    public StockRecipe withWindow(int w) {
        return new StockRecipe(column, columns, differencing, w, horizon, strategy, scaler, split);
    }

    /** {@code d} or {@code null} for no differencing. */
    public StockRecipe withDifferencing(Differencing d) {
        return new StockRecipe(column, columns, d, window, horizon, strategy, scaler, split);
    }

    public StockRecipe withScaler(ScalerKind s) {
        return new StockRecipe(column, columns, differencing, window, horizon, strategy, s, split);
    }

    public StockRecipe withSplit(ChronologicalSplit s) {
        return new StockRecipe(column, columns, differencing, window, horizon, strategy, scaler, s);
    }

    public StockRecipe withHorizon(int h, ForecastStrategy s) {
        return new StockRecipe(column, columns, differencing, window, h, s, scaler, split);
    }

    @Override
    public DataKind dataKind() {
        return DataKind.SERIES;
    }

    /** Fits on the training rows of {@code series} and cuts all three splits. */
    public StockData prepare(TimeSeries series) {
        return fit(series).windows(series);
    }

    /** A univariate series of {@code prices} in the target column: fits and cuts. */
    public StockData prepare(double[] prices) {
        return prepare(TimeSeries.of(column, prices));
    }

    /** Fits the scalers on the training rows of the chronological split. */
    public StockPreprocessing fit(TimeSeries series) {
        return fit(series, Cut.of(split, series.length()));
    }

    public StockPreprocessing fit(double[] prices) {
        return fit(TimeSeries.of(column, prices));
    }

    /**
     * Fits on the training rows of a series of any size read lazily (e.g. {@code ColumnFile.series()}):
     * the same fitted numbers as {@link #fit(TimeSeries)} on the same values, in streaming passes.
     */
    public StockPreprocessing fit(SeriesColumns series) {
        return fit(series, Cut.of(split, series.length()));
    }

    public StockPreprocessing fit(SeriesColumns series, Cut cut) {
        List<ColumnTransform> transforms = new ArrayList<>();
        for (String c : inputColumns()) {
            int index = series.columnIndex(c);
            transforms.add(new ColumnTransform(series.names().get(index), differencing, null));
        }
        String target = series.names().get(series.columnIndex(column));
        StockPreprocessing unfitted = new StockPreprocessing(target, transforms, window, horizon, strategy, split);
        return unfitted.refit(series, cut, scaler);
    }

    /** Fits each column's scaler on its transformed values at rows {@code [cut.trainFrom() + order, cut.trainEnd())}. */
    public StockPreprocessing fit(TimeSeries series, Cut cut) {
        List<ColumnTransform> transforms = new ArrayList<>();
        for (String c : inputColumns()) {
            int index = series.columnIndex(c);
            transforms.add(new ColumnTransform(series.columns().get(index), differencing, null));
        }
        String target = series.columns().get(series.columnIndex(column));
        StockPreprocessing unfitted = new StockPreprocessing(target, transforms, window, horizon, strategy, split);
        return unfitted.refit(series, cut, scaler);
    }
}
