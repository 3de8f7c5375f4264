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
        TrainingValues.check(train, "standard");
        double sum = 0;
        for (double v : train) {
            sum += v;
        }
        double mean = sum / train.length;
        // Two passes: the sum of squared deviations stays accurate where E[x^2] - E[x]^2 would cancel.
        double squares = 0;
        for (double v : train) {
            squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / train.length);
        if (std == 0) {
            throw new IllegalArgumentException("standard scaler cannot be fitted: all " + train.length
                    + " training values are " + train[0] + " (zero deviation); use a longer training split");
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
