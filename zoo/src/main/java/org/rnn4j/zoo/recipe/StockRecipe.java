package org.rnn4j.zoo.recipe;

import java.util.Arrays;
import java.util.Objects;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.DoubleSeries;
import org.rnn4j.data.series.Scaler;
import org.rnn4j.data.series.SplitBoundaries;
import org.rnn4j.data.series.TimeSeries;

/**
 * The article's stock recipe: one price column, differenced (absolute or percent), optionally
 * scaled, cut into windows of {@code window} differences that each predict the next difference.
 * The series is split chronologically into train / validation / test by price index; a window
 * belongs to the split of the price its target leads to, so its inputs may reach back into an
 * earlier split (known history) but never forward. The scaler is fitted on the differences of the
 * training prices only.
 *
 * @param column      the price column, matched ignoring case ({@code Close} finds {@code close})
 * @param differencing absolute or percent differences of some order
 * @param window      input differences per window, {@code [window, 1]} model input
 * @param scaler      the scaler fitted on the training differences
 * @param split       train / validation / test fractions of the price rows
 */
public record StockRecipe(
        String column, Differencing differencing, int window, ScalerKind scaler, ChronologicalSplit split)
        implements Recipe {

    public StockRecipe {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("stock recipe column must name a price column, e.g. Close");
        }
        Objects.requireNonNull(differencing, "stock recipe differencing must be set");
        if (window < 1) {
            throw new IllegalArgumentException("stock recipe window must be >= 1, got " + window);
        }
        Objects.requireNonNull(scaler, "stock recipe scaler must be set (NONE for no scaling)");
        Objects.requireNonNull(split, "stock recipe split must be set");
        if (split.test() <= 0) {
            throw new IllegalArgumentException(
                    "stock recipe split needs a test fraction > 0 for an honest evaluation, got " + split);
        }
    }

    /** The article's setting: Close, percent differences, windows of 50, standardised, 70/15/15. */
    public static StockRecipe article() {
        return new StockRecipe(
                "Close", Differencing.percent(), 50, ScalerKind.STANDARD, new ChronologicalSplit(0.7, 0.15, 0.15));
    }

    public StockRecipe withColumn(String c) {
        return new StockRecipe(c, differencing, window, scaler, split);
    }

    public StockRecipe withWindow(int w) {
        return new StockRecipe(column, differencing, w, scaler, split);
    }

    public StockRecipe withDifferencing(Differencing d) {
        return new StockRecipe(column, d, window, scaler, split);
    }

    public StockRecipe withScaler(ScalerKind s) {
        return new StockRecipe(column, differencing, window, s, split);
    }

    public StockRecipe withSplit(ChronologicalSplit s) {
        return new StockRecipe(column, differencing, window, scaler, s);
    }

    @Override
    public DataKind dataKind() {
        return DataKind.SERIES;
    }

    /** Fits on the training part of {@code series}' {@link #column()} and cuts all three splits. */
    public StockData prepare(TimeSeries series) {
        return prepare(series.column(column));
    }

    /** Fits on the training part of {@code prices} and cuts all three splits. */
    public StockData prepare(double[] prices) {
        return fit(prices).windows(prices);
    }

    /**
     * Fits on the training part of a price series of any size (e.g. a memory-mapped CSV column):
     * the differences are computed as they are read, the training differences give the scaler in
     * one or two streaming passes, and the rest are read once to check them. The fitted numbers
     * equal those of {@link #fit(double[])} on the same prices.
     */
    public StockPreprocessing fit(DoubleSeries prices) {
        StockPreprocessing.checkLength(prices.length(), window, differencing.order(), split);
        SplitBoundaries b = split.boundaries(prices.length());
        DoubleSeries diffs = differencing.apply(prices);
        int trainDiffs = b.trainEnd() - differencing.order();
        // The scaler reads (and so checks) the training differences; this pass checks the others.
        diffs.forEach(trainDiffs, diffs.length(), (i, v) -> {});
        Scaler fitted = scaler.fit(diffs.slice(0, trainDiffs));
        if (scaler == ScalerKind.NONE) {
            diffs.forEach(0, trainDiffs, (i, v) -> {});
        }
        return new StockPreprocessing(column, differencing, window, fitted, split);
    }

    /** Fits the differencing's scaler on the training prices' differences only. */
    public StockPreprocessing fit(double[] prices) {
        StockPreprocessing.checkLength(prices.length, window, differencing.order(), split);
        SplitBoundaries b = split.boundaries(prices.length);
        double[] diffs = differencing.apply(prices);
        // Difference j leads to price j + order: the training differences lead to training prices.
        int trainDiffs = b.trainEnd() - differencing.order();
        Scaler fitted = scaler.fit(Arrays.copyOf(diffs, trainDiffs));
        return new StockPreprocessing(column, differencing, window, fitted, split);
    }
}
