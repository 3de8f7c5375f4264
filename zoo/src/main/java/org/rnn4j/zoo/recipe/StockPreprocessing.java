package org.rnn4j.zoo.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.DoubleSeries;
import org.rnn4j.data.series.Scaler;
import org.rnn4j.data.series.SplitBoundaries;
import org.rnn4j.data.window.WindowSpec;
import org.rnn4j.data.window.WindowedDataset;

/**
 * A fitted {@link StockRecipe}: the column, the differencing, the window and the scaler's numbers
 * (fitted on training differences; {@code null} = no scaling). Turns raw prices into model inputs
 * {@code [n, window, 1]} and model outputs {@code [n, 1]} back into prices with the data module's
 * exact inverses, so {@code evaluate} and {@code forecast} work from raw prices.
 */
public record StockPreprocessing(
        String column, Differencing differencing, int window, Scaler scaler, ChronologicalSplit split)
        implements Preprocessing {

    public static final String KIND = "stock";

    public StockPreprocessing {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(differencing, "differencing");
        Objects.requireNonNull(split, "split");
        if (window < 1) {
            throw new IllegalArgumentException("stock preprocessing window must be >= 1, got " + window);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The fewest prices a forecast needs: one window of differences. */
    public int minimumHistory() {
        return window + differencing.order();
    }

    /** Differences of {@code prices}, scaled: what the model reads and predicts. */
    public double[] encode(double[] prices) {
        return scale(differencing.apply(prices));
    }

    double[] scale(double[] diffs) {
        return scaler == null ? diffs.clone() : scaler.transform(diffs);
    }

    /** Model outputs (scaled differences) back to differences. */
    public double[] unscale(double[] scaled) {
        return scaler == null ? scaled.clone() : scaler.inverse(scaled);
    }

    /** Cuts {@code prices} into train / validation / test windows with this (already fitted) scaler. */
    public StockData windows(double[] prices) {
        int order = differencing.order();
        checkLength(prices.length, window, order, split);
        SplitBoundaries b = split.boundaries(prices.length);
        double[] scaled = encode(prices);
        WindowedDataset ds = WindowedDataset.univariate(scaled, WindowSpec.of(window));
        // Window i predicts difference i + window, which leads to price i + window + order.
        int lead = window + order;
        int nTrain = Math.max(0, b.trainEnd() - lead);
        int nTrainVal = Math.max(0, b.validationEnd() - lead);
        int n = ds.count();
        Tensor x = ds.inputs();
        Tensor y = ds.targets();
        Tensor trainX = x.sliceRows(0, nTrain);
        Tensor trainY = y.sliceRows(0, nTrain);
        Tensor valX = nTrainVal > nTrain ? x.sliceRows(nTrain, nTrainVal) : null;
        Tensor valY = nTrainVal > nTrain ? y.sliceRows(nTrain, nTrainVal) : null;
        Tensor testX = x.sliceRows(nTrainVal, n);
        Tensor testY = y.sliceRows(nTrainVal, n);
        return new StockData(this, prices.clone(), trainX, trainY, valX, valY, testX, testY, nTrainVal + lead);
    }

    /**
     * Cuts a price series of any size (e.g. a memory-mapped CSV column) into train / validation /
     * test datasets whose windows are made batch by batch: differences and scaling are applied as
     * the prices are read, nothing is materialised. The windows, their order and their float32
     * values equal those of {@link #windows(double[])} on the same prices.
     */
    public StockStreams stream(DoubleSeries prices) {
        int order = differencing.order();
        checkLength(prices.length(), window, order, split);
        SplitBoundaries b = split.boundaries(prices.length());
        DoubleSeries diffs = differencing.apply(prices);
        DoubleSeries scaled = scaler == null ? diffs : diffs.map(scaler::transform);
        WindowedDataset ds = WindowedDataset.univariate(scaled, WindowSpec.of(window));
        // Window i predicts difference i + window, which leads to price i + window + order.
        int lead = window + order;
        int nTrain = Math.max(0, b.trainEnd() - lead);
        int nTrainVal = Math.max(0, b.validationEnd() - lead);
        int n = ds.count();
        return new StockStreams(
                this,
                prices,
                ds.slice(0, nTrain),
                nTrainVal > nTrain ? ds.slice(nTrain, nTrainVal) : null,
                ds.slice(nTrainVal, n),
                nTrainVal + lead);
    }

    /**
     * One-step forecasts on the price scale: prediction {@code i} (a scaled difference) is applied
     * to the true prices before price {@code firstPriceIndex + i}.
     */
    public double[] oneStepPrices(double[] prices, int firstPriceIndex, double[] predictedScaled) {
        return differencing.oneStep(prices, firstPriceIndex, unscale(predictedScaled));
    }

    /**
     * The next {@code steps} prices after {@code prices}, recursively: each predicted difference is
     * appended to the input window for the next step, and the prices are rebuilt from the last
     * known prices with the differencing's exact inverse.
     *
     * @param model maps {@code [1, window, 1]} scaled differences to {@code [1, 1]}
     */
    public double[] forecast(double[] prices, int steps, UnaryOperator<Tensor> model) {
        if (steps < 1) {
            throw new IllegalArgumentException("forecast steps must be >= 1, got " + steps);
        }
        if (prices.length < minimumHistory()) {
            throw new IllegalArgumentException("forecasting needs at least " + minimumHistory() + " prices (window "
                    + window + " + differencing order " + differencing.order() + "), got " + prices.length);
        }
        double[] history = Arrays.copyOfRange(prices, prices.length - minimumHistory(), prices.length);
        float[] input = toFloats(encode(history));
        double[] predicted = new double[steps];
        for (int s = 0; s < steps; s++) {
            Tensor out = model.apply(Tensor.of(input, 1, window, 1));
            float next = out.floatView()[0];
            if (!Float.isFinite(next)) {
                throw new IllegalStateException("the model predicted " + next + " at forecast step " + (s + 1));
            }
            predicted[s] = next;
            System.arraycopy(input, 1, input, 0, window - 1);
            input[window - 1] = next;
        }
        return differencing.forecast(prices, unscale(predicted));
    }

    static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    static void checkLength(int length, int window, int order, ChronologicalSplit split) {
        int lead = window + order;
        if (length < lead + 2) {
            throw new IllegalArgumentException("a series of " + length + " prices is too short for windows of " + window
                    + " differences: it needs at least " + (lead + 2)
                    + " prices; use a longer series or a smaller window");
        }
        SplitBoundaries b = split.boundaries(length);
        if (b.trainEnd() < lead + 1) {
            throw new IllegalArgumentException(
                    "the training split holds " + b.trainEnd() + " of " + length + " prices (fraction "
                            + split.train() + ") but windows of " + window + " need at least " + (lead + 1)
                            + "; use a longer series, a smaller window or a larger train fraction");
        }
        if (length - Math.max(b.validationEnd(), lead) < 1) {
            throw new IllegalArgumentException("the test split of " + length + " prices (fraction " + split.test()
                    + ") holds no price to predict; use a longer series or a larger test fraction");
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = Preprocessing.MAPPER.createObjectNode();
        o.put("kind", KIND);
        o.put("column", column);
        o.set("differencing", Preprocessing.MAPPER.valueToTree(differencing));
        o.put("window", window);
        if (scaler == null) {
            o.putNull("scaler");
        } else {
            o.set("scaler", Preprocessing.MAPPER.valueToTree(scaler));
        }
        o.set("split", Preprocessing.MAPPER.valueToTree(split));
        return o;
    }

    static StockPreprocessing fromJson(JsonNode o) {
        Preprocessing.allowOnly(o, "kind", "column", "differencing", "window", "scaler", "split");
        String column = Preprocessing.requireText(o, "column");
        Differencing d = Preprocessing.convert(o, "differencing", Differencing.class);
        int window = Preprocessing.requireInt(o, "window");
        Scaler scaler = o.path("scaler").isNull() || o.path("scaler").isMissingNode()
                ? null
                : Preprocessing.convert(o, "scaler", Scaler.class);
        ChronologicalSplit split = Preprocessing.convert(o, "split", ChronologicalSplit.class);
        return new StockPreprocessing(column, d, window, scaler, split);
    }
}
