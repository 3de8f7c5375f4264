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

    /** Fits to a training series of any size with target range {@code [0, 1]}. */
    public static MinMaxScaler fit(DoubleSeries train) {
        return fit(train, 0, 1);
    }

    /** Fits to the training values with target range {@code [rangeMin, rangeMax]}. */
    public static MinMaxScaler fit(double[] train, double rangeMin, double rangeMax) {
        return fit(DoubleSeries.of(train), rangeMin, rangeMax);
    }

    /** Fits to a training series of any size in one streaming pass, target range {@code [rangeMin, rangeMax]}. */
    public static MinMaxScaler fit(DoubleSeries train, double rangeMin, double rangeMax) {
        int n = train.length();
        TrainingValues.checkNotEmpty(n, "min_max");
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        train.forEach(0, n, (i, v) -> {
            TrainingValues.checkFinite(i, v, "min_max");
            range[0] = Math.min(range[0], v);
            range[1] = Math.max(range[1], v);
        });
        if (range[0] == range[1]) {
            throw new IllegalArgumentException("min_max scaler cannot be fitted: all " + n + " training values are "
                    + range[0] + " (zero range); use StandardScaler or a longer training split");
        }
        return new MinMaxScaler(range[0], range[1], rangeMin, rangeMax);
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
