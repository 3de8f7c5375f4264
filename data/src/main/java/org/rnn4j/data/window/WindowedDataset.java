package org.rnn4j.data.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.batch.Batch;
import org.rnn4j.data.batch.BatchSource;
import org.rnn4j.data.series.TimeSeries;

/**
 * Sliding windows over one or more feature columns with targets from one column, as float32
 * tensors: inputs {@code [n, window, features]} and targets {@code [n, horizon]}, where
 * {@code n = spec.count(length)}. Row {@code i} is the window starting at step {@code i * stride}.
 *
 * <p>The dataset holds one float copy of each feature column and of the target column (shared
 * when the target is the only feature), about {@code length * (features + 1)} floats; each
 * {@link #batch(int[])} builds only its own rows, so training by batches never holds
 * {@code n * window} values. {@link #inputs()} and {@link #targets()} materialise everything and
 * are meant for small series.
 */
public final class WindowedDataset implements BatchSource {
    private final WindowSpec spec;
    private final float[][] features; // [feature][step]
    private final float[] target;
    private final int length;
    private final int count;

    private WindowedDataset(WindowSpec spec, float[][] features, float[] target) {
        this.spec = spec;
        this.features = features;
        this.target = target;
        this.length = target.length;
        this.count = spec.count(length);
    }

    /** Windows over one column that is both the feature and the target: inputs {@code [n, window, 1]}. */
    public static WindowedDataset univariate(double[] values, WindowSpec spec) {
        Objects.requireNonNull(spec, "spec");
        checkLength(values.length, spec);
        float[] column = toFloats(values, "series");
        return new WindowedDataset(spec, new float[][] {column}, column);
    }

    /**
     * Windows over {@code featureColumns} of {@code series}, with targets from {@code targetColumn}
     * (which may or may not be among the features): inputs {@code [n, window, featureColumns.size()]}.
     */
    public static WindowedDataset of(
            TimeSeries series, List<String> featureColumns, String targetColumn, WindowSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (featureColumns.isEmpty()) {
            throw new IllegalArgumentException(
                    "windowing needs at least one feature column; columns present: " + series.columns());
        }
        checkLength(series.length(), spec);
        List<float[]> columns = new ArrayList<>();
        float[] target = null;
        for (String name : featureColumns) {
            float[] column = toFloats(series.column(name), "column '" + name + "'");
            columns.add(column);
            if (name.equalsIgnoreCase(targetColumn)) {
                target = column;
            }
        }
        if (target == null) {
            target = toFloats(series.column(targetColumn), "column '" + targetColumn + "'");
        }
        return new WindowedDataset(spec, columns.toArray(new float[0][]), target);
    }

    /**
     * Windows over feature columns given as arrays, {@code [features][length]}, with a target column
     * {@code [length]}.
     */
    public static WindowedDataset of(double[][] featureColumns, double[] target, WindowSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (featureColumns.length == 0) {
            throw new IllegalArgumentException("windowing needs at least one feature column, got none");
        }
        checkLength(target.length, spec);
        float[][] columns = new float[featureColumns.length][];
        for (int f = 0; f < featureColumns.length; f++) {
            if (featureColumns[f].length != target.length) {
                throw new IllegalArgumentException("feature column " + f + " has " + featureColumns[f].length
                        + " values but the target has " + target.length + "; all columns must have the same length");
            }
            columns[f] = toFloats(featureColumns[f], "feature column " + f);
        }
        return new WindowedDataset(spec, columns, toFloats(target, "target"));
    }

    public WindowSpec spec() {
        return spec;
    }

    /** The number of windows {@code n}. */
    @Override
    public int size() {
        return count;
    }

    /** The number of feature columns (the last input dimension). */
    public int features() {
        return features.length;
    }

    /** The length of the underlying series. */
    public int seriesLength() {
        return length;
    }

    /** The first series step that window {@code row} reads. */
    public int windowStart(int row) {
        checkRow(row);
        return row * spec.stride();
    }

    /** The first series step whose target value window {@code row} predicts ({@code windowStart + window}). */
    public int targetStart(int row) {
        return windowStart(row) + spec.window();
    }

    /**
     * Builds inputs {@code [rows.length, window, features]} and targets {@code [rows.length, horizon]}
     * for the given windows only.
     */
    @Override
    public Batch batch(int[] rows) {
        int window = spec.window();
        int horizon = spec.horizon();
        int featureCount = features.length;
        float[] in = new float[Math.multiplyExact(rows.length, Math.multiplyExact(window, featureCount))];
        float[] out = new float[rows.length * horizon];
        for (int r = 0; r < rows.length; r++) {
            checkRow(rows[r]);
            int start = rows[r] * spec.stride();
            int base = r * window * featureCount;
            if (featureCount == 1) {
                System.arraycopy(features[0], start, in, base, window);
            } else {
                for (int t = 0; t < window; t++) {
                    for (int f = 0; f < featureCount; f++) {
                        in[base + t * featureCount + f] = features[f][start + t];
                    }
                }
            }
            System.arraycopy(target, start + window, out, r * horizon, horizon);
        }
        return new Batch(Tensor.wrap(in, rows.length, window, featureCount), Tensor.wrap(out, rows.length, horizon));
    }

    /** All windows, {@code [n, window, features]}; prefer {@link #batches} for long series. */
    public Tensor inputs() {
        return batch(allRows()).inputs();
    }

    /** All targets, {@code [n, horizon]}. */
    public Tensor targets() {
        return batch(allRows()).targets();
    }

    private int[] allRows() {
        long values = (long) count * spec.window() * features.length;
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " windows of " + spec.window() + " x " + features.length
                    + " values do not fit one tensor; use batches(BatchPlan) instead");
        }
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) {
            rows[i] = i;
        }
        return rows;
    }

    private void checkRow(int row) {
        if (row < 0 || row >= count) {
            throw new IllegalArgumentException("window row must be in [0, " + count + "), got " + row);
        }
    }

    private static void checkLength(int length, WindowSpec spec) {
        long needed = (long) spec.window() + spec.horizon();
        if (length < needed) {
            int largest = length - spec.horizon();
            String way = largest >= 1
                    ? "the largest window for this series and horizon " + spec.horizon() + " is " + largest
                    : "the series is too short for horizon " + spec.horizon() + " with any window";
            throw new IllegalArgumentException("window " + spec.window() + " with horizon " + spec.horizon()
                    + " needs a series of at least " + needed + " values, but the series has " + length + "; " + way);
        }
    }

    private static float[] toFloats(double[] values, String what) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            float f = (float) values[i];
            if (!Float.isFinite(f)) {
                throw new IllegalArgumentException(what + " value at index " + i + " is " + values[i]
                        + ", which is not a finite float32; fill gaps and scale the series before windowing");
            }
            out[i] = f;
        }
        return out;
    }
}
