package org.rnn4j.data.series;

import java.util.Arrays;

/**
 * Where a chronological split cuts {@code length} rows: train is {@code [0, trainEnd)}, validation
 * {@code [trainEnd, validationEnd)}, test {@code [validationEnd, length)}.
 */
public record SplitBoundaries(int length, int trainEnd, int validationEnd) {
    public SplitBoundaries {
        if (!(0 <= trainEnd && trainEnd <= validationEnd && validationEnd <= length)) {
            throw new IllegalArgumentException(
                    "split boundaries must satisfy 0 <= trainEnd <= validationEnd <= length, got trainEnd=" + trainEnd
                            + ", validationEnd=" + validationEnd + ", length=" + length);
        }
    }

    public int trainSize() {
        return trainEnd;
    }

    public int validationSize() {
        return validationEnd - trainEnd;
    }

    public int testSize() {
        return length - validationEnd;
    }

    /** The training rows of {@code values} (a copy). */
    public double[] train(double[] values) {
        return Arrays.copyOfRange(checked(values), 0, trainEnd);
    }

    /** The validation rows of {@code values} (a copy). */
    public double[] validation(double[] values) {
        return Arrays.copyOfRange(checked(values), trainEnd, validationEnd);
    }

    /** The test rows of {@code values} (a copy). */
    public double[] test(double[] values) {
        return Arrays.copyOfRange(checked(values), validationEnd, length);
    }

    public TimeSeries train(TimeSeries series) {
        return checked(series).slice(0, trainEnd);
    }

    public TimeSeries validation(TimeSeries series) {
        return checked(series).slice(trainEnd, validationEnd);
    }

    public TimeSeries test(TimeSeries series) {
        return checked(series).slice(validationEnd, length);
    }

    private double[] checked(double[] values) {
        if (values.length != length) {
            throw new IllegalArgumentException("split was computed for " + length + " rows but the array has "
                    + values.length + "; compute boundaries for this array's length");
        }
        return values;
    }

    private TimeSeries checked(TimeSeries series) {
        if (series.length() != length) {
            throw new IllegalArgumentException("split was computed for " + length + " rows but the series has "
                    + series.length() + "; compute boundaries for this series' length");
        }
        return series;
    }
}
