package org.rnn4j.zoo.recipe;

import org.rnn4j.api.data.IndexedDataset;
import org.rnn4j.data.series.DoubleSeries;
import org.rnn4j.zoo.evaluation.ForecastEvaluation;

/**
 * A price series of any size cut by {@link StockPreprocessing#stream}: train, validation and test
 * windows as datasets made batch by batch ({@code [batch, window, 1]} scaled differences, targets
 * {@code [batch, 1]}), the same windows {@link StockData} holds as tensors for a small series. The
 * test windows predict the prices at {@code firstTestPriceIndex ..} the end of the series.
 *
 * @param validation {@code null} when the validation split holds no window
 */
public record StockStreams(
        StockPreprocessing preprocessing,
        DoubleSeries prices,
        IndexedDataset train,
        IndexedDataset validation,
        IndexedDataset test,
        int firstTestPriceIndex) {

    public boolean hasValidation() {
        return validation != null;
    }

    public int testSize() {
        return test.count();
    }

    /** The true prices the test windows predict, {@code [testSize]}. */
    public double[] testActual() {
        return prices.toArray(firstTestPriceIndex, firstTestPriceIndex + testSize());
    }

    /**
     * Model outputs for the test windows (scaled differences, in test order) as one-step price
     * forecasts, and their evaluation against the naive forecast. Reads only the test part of
     * the prices (and the {@code order} prices before it).
     */
    public ForecastEvaluation evaluate(double[] predictedScaled) {
        return ForecastEvaluation.of(testPrices(), preprocessing.differencing().order(), forecast(predictedScaled));
    }

    /** Model outputs for the test windows as one-step forecasts of the test prices, {@code [testSize]}. */
    public double[] forecast(double[] predictedScaled) {
        if (predictedScaled.length != testSize()) {
            throw new IllegalArgumentException(
                    "expected " + testSize() + " predictions for the test windows, got " + predictedScaled.length);
        }
        return preprocessing.oneStepPrices(
                testPrices(), preprocessing.differencing().order(), predictedScaled);
    }

    /** Prices {@code [firstTestPriceIndex - order, end)}: what one-step forecasts and their scores read. */
    private double[] testPrices() {
        int order = preprocessing.differencing().order();
        return prices.toArray(firstTestPriceIndex - order, prices.length());
    }
}
