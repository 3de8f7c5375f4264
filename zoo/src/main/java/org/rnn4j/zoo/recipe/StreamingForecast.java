package org.rnn4j.zoo.recipe;

import java.util.Arrays;
import org.rnn4j.api.Model;
import org.rnn4j.api.SlidingWindowPredictor;

/**
 * A forecast that consumes one new price at a time (one-column models): after each price it gives
 * the next one, as {@link StockPreprocessing#forecast} would from the whole series so far (within
 * float rounding),
 * but each new price runs one step of the model instead of a whole window
 * ({@link SlidingWindowPredictor}). The prices are preprocessed exactly as the batch forecast does.
 * Not thread-safe.
 */
public final class StreamingForecast {
    private final StockPreprocessing pre;
    private final Model model;
    private final SlidingWindowPredictor stream;
    private double[] history = new double[0];

    /** @throws IllegalArgumentException for a model of several columns (a new row is more than one price) */
    public StreamingForecast(StockPreprocessing pre, Model model) {
        if (pre.columns().size() != 1) {
            throw new IllegalArgumentException("a streaming forecast takes one value at a time, so it works with "
                    + "one-column models; this model reads " + pre.columns());
        }
        this.pre = pre;
        this.model = model;
        this.stream = model.slidingWindowPredictor();
    }

    /** Takes the prices known so far at once (e.g. a file's), oldest first. */
    public void acceptAll(double[] prices) {
        for (double p : prices) {
            append(p);
        }
    }

    /**
     * Takes the next price.
     *
     * @return the forecast of the price after it, or NaN while fewer than
     *         {@link StockPreprocessing#minimumHistory()} prices have come
     */
    public double accept(double price) {
        append(price);
        return ready() ? pre.forecast(history, 1, stream)[0] : Double.NaN;
    }

    /** Whether enough prices have come to forecast. */
    public boolean ready() {
        return history.length >= pre.minimumHistory();
    }

    /** The next {@code steps} prices after those accepted, fed back recursively; the stream is left where it was. */
    public double[] forecast(int steps) {
        if (!ready()) {
            throw new IllegalStateException(
                    "a forecast needs at least " + pre.minimumHistory() + " prices, got " + history.length);
        }
        // The recursive windows slide over predictions, not prices: a second predictor keeps the
        // price stream's position.
        return pre.forecast(history, steps, model.slidingWindowPredictor());
    }

    private void append(double price) {
        if (!Double.isFinite(price)) {
            throw new IllegalArgumentException("price " + price + " is not a finite number");
        }
        // Only the newest window of prices is read: keep a bounded tail, not the whole stream.
        int keep = pre.minimumHistory();
        int n = Math.min(history.length + 1, keep);
        double[] next = new double[n];
        System.arraycopy(history, history.length - (n - 1), next, 0, n - 1);
        next[n - 1] = price;
        history = next;
    }

    /** The prices the next forecast starts from (the newest window), for messages and tests. */
    public double[] window() {
        return Arrays.copyOf(history, history.length);
    }
}
