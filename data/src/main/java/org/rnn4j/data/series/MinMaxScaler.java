package org.rnn4j.data.series;

/**
 * Min-max scaling, as scikit-learn's {@code MinMaxScaler}: maps {@code [dataMin, dataMax]} of the
 * training split linearly onto {@code [rangeMin, rangeMax]} (default {@code [0, 1]}). Values outside
 * the training range map outside the target range; they are not clipped.
 */
public record MinMaxScaler(double dataMin, double dataMax, double rangeMin, double rangeMax) implements Scaler {
    public MinMaxScaler {
        if (!Double.isFinite(dataMin) || !Double.isFinite(dataMax) || !(dataMax > dataMin)) {
            throw new IllegalArgumentException("min_max.dataMax must be finite and > dataMin, got dataMin=" + dataMin
                    + ", dataMax=" + dataMax + "; a constant training split cannot be min-max scaled");
        }
        if (!Double.isFinite(rangeMin) || !Double.isFinite(rangeMax) || !(rangeMax > rangeMin)) {
            throw new IllegalArgumentException("min_max.rangeMax must be finite and > rangeMin, got rangeMin="
                    + rangeMin + ", rangeMax=" + rangeMax);
        }
    }

    /** Fits to the training values with target range {@code [0, 1]}. */
    public static MinMaxScaler fit(double[] train) {
        return fit(train, 0, 1);
    }

    /** Fits to the training values with target range {@code [rangeMin, rangeMax]}. */
    public static MinMaxScaler fit(double[] train, double rangeMin, double rangeMax) {
        TrainingValues.check(train, "min_max");
        double min = train[0];
        double max = train[0];
        for (double v : train) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min == max) {
            throw new IllegalArgumentException("min_max scaler cannot be fitted: all " + train.length
                    + " training values are " + min + " (zero range); use StandardScaler or a longer training split");
        }
        return new MinMaxScaler(min, max, rangeMin, rangeMax);
    }

    @Override
    public double transform(double value) {
        return rangeMin + (value - dataMin) * ((rangeMax - rangeMin) / (dataMax - dataMin));
    }

    @Override
    public double inverse(double scaled) {
        return dataMin + (scaled - rangeMin) * ((dataMax - dataMin) / (rangeMax - rangeMin));
    }
}
