package org.rnn4j.data.series;

/**
 * Standardisation, as scikit-learn's {@code StandardScaler}: {@code (v - mean) / std} with the mean
 * and the population standard deviation (divide by {@code n}) of the training split.
 */
public record StandardScaler(double mean, double std) implements Scaler {
    public StandardScaler {
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("standard.mean must be finite, got " + mean);
        }
        if (!Double.isFinite(std) || !(std > 0)) {
            throw new IllegalArgumentException("standard.std must be finite and > 0, got " + std
                    + "; a constant training split cannot be standardised");
        }
    }

    /** Fits mean and population standard deviation to the training values. */
    public static StandardScaler fit(double[] train) {
        return fit(DoubleSeries.of(train));
    }

    /**
     * Fits to a training series of any size in two streaming passes (the same sums, in the same
     * order, as for an array).
     */
    public static StandardScaler fit(DoubleSeries train) {
        int n = train.length();
        TrainingValues.checkNotEmpty(n, "standard");
        double[] sum = {0};
        train.forEach(0, n, (i, v) -> {
            TrainingValues.checkFinite(i, v, "standard");
            sum[0] += v;
        });
        double mean = sum[0] / n;
        // Two passes: the sum of squared deviations stays accurate where E[x^2] - E[x]^2 would cancel.
        double[] squares = {0};
        train.forEach(0, n, (i, v) -> squares[0] += (v - mean) * (v - mean));
        double std = Math.sqrt(squares[0] / n);
        if (std == 0) {
            throw new IllegalArgumentException("standard scaler cannot be fitted: all " + n + " training values are "
                    + train.get(0) + " (zero deviation); use a longer training split");
        }
        return new StandardScaler(mean, std);
    }

    @Override
    public double transform(double value) {
        return (value - mean) / std;
    }

    @Override
    public double inverse(double scaled) {
        return scaled * std + mean;
    }
}
