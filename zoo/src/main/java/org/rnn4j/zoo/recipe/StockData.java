package org.rnn4j.zoo.recipe;

import java.util.Arrays;
import org.rnn4j.api.tensor.Tensor;

/**
 * A price series cut by a {@link StockPreprocessing}: windows of scaled differences
 * {@code [n, window, 1]} with next-difference targets {@code [n, 1]} for each split. The test
 * windows predict the prices at {@code firstTestPriceIndex ..} the end of the series, one step ahead.
 *
 * @param validationX {@code null} when the validation split holds no window
 */
public record StockData(
        StockPreprocessing preprocessing,
        double[] prices,
        Tensor trainX,
        Tensor trainY,
        Tensor validationX,
        Tensor validationY,
        Tensor testX,
        Tensor testY,
        int firstTestPriceIndex) {

    public boolean hasValidation() {
        return validationX != null;
    }

    public int testSize() {
        return testX.dim(0);
    }

    /** The true prices the test windows predict, {@code [testSize]}. */
    public double[] testActual() {
        return Arrays.copyOfRange(prices, firstTestPriceIndex, firstTestPriceIndex + testSize());
    }

    /** The last known price before each test price, {@code [testSize]}: the naive forecast's input. */
    public double[] testPrevious() {
        return Arrays.copyOfRange(prices, firstTestPriceIndex - 1, firstTestPriceIndex - 1 + testSize());
    }

    /** Model outputs for {@link #testX()} ({@code [testSize, 1]}) as one-step price forecasts. */
    public double[] testForecast(Tensor predicted) {
        if (predicted.size() != testSize()) {
            throw new IllegalArgumentException("expected " + testSize()
                    + " predictions for the test windows, got shape " + Arrays.toString(predicted.shape()));
        }
        float[] f = predicted.floatView();
        double[] scaled = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            scaled[i] = f[i];
        }
        return preprocessing.oneStepPrices(prices, firstTestPriceIndex, scaled);
    }
}
