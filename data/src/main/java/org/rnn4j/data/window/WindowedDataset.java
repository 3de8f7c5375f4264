package org.rnn4j.data.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.IndexedDataset;
import org.rnn4j.api.data.MemoryBudget;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.series.DoubleSeries;
import org.rnn4j.data.series.TimeSeries;

/**
 * Sliding windows over one or more feature columns with targets from one column, as float32
 * tensors: inputs {@code [n, window, features]} and targets {@code [n, horizon]}, where
 * {@code n = spec.count(length)}. Row {@code i} is the window starting at step {@code i * stride}.
 *
 * <p>Built from arrays, the dataset holds one float copy of each feature column and of the target
 * column (shared when the target is the only feature), about {@code length * (features + 1)}
 * floats, checked once. Built from a {@link DoubleSeries} (e.g. the scaled differences of a
 * memory-mapped column, {@link #univariate(DoubleSeries, WindowSpec)}), it holds nothing: each
 * batch reads its windows and casts them to float32 with the same rounding, so the batches equal
 * those of the same values given as an array. Either way each {@link #batch(int[])} builds only
 * its own rows, so training by batches never holds {@code n * window} values; {@link #inputs()}
 * and {@link #targets()} materialise everything and are meant for small series.
 */
public final class WindowedDataset implements IndexedDataset {
    private final WindowSpec spec;
    private final Column[] features;
    private final Column target;
    private final int length;
    private final int count;

    private WindowedDataset(WindowSpec spec, Column[] features, Column target) {
        this.spec = spec;
        this.features = features;
        this.target = target;
        this.length = target.length();
        this.count = spec.count(length);
    }

    /** Whether every column is an array in memory (built from arrays, not from a series read as it goes). */
    @Override
    public boolean inMemory() {
        if (!(target instanceof FloatColumn)) {
            return false;
        }
        for (Column c : features) {
            if (!(c instanceof FloatColumn)) {
                return false;
            }
        }
        return true;
    }

    /** Float32 values by range: an array checked once, or a series cast (and checked) as it is read. */
    private interface Column {
        int length();

        void read(int from, float[] dst, int offset, int count);
    }

    private record FloatColumn(float[] values) implements Column {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public void read(int from, float[] dst, int offset, int count) {
            System.arraycopy(values, from, dst, offset, count);
        }
    }

    private record SeriesColumn(DoubleSeries values, String what) implements Column {
        @Override
        public int length() {
            return values.length();
        }

        @Override
        public void read(int from, float[] dst, int offset, int count) {
            double[] d = new double[count];
            values.read(from, d, 0, count);
            for (int i = 0; i < count; i++) {
                dst[offset + i] = toFloat(d[i], from + i, what);
            }
        }
    }

    /**
     * Windows over a series that is both the feature and the target, read lazily (nothing is
     * copied): inputs {@code [n, window, 1]}. A value that is not a finite float32 fails the batch
     * that reads it, naming its index.
     */
    public static WindowedDataset univariate(DoubleSeries values, WindowSpec spec) {
        Objects.requireNonNull(spec, "spec");
        checkLength(values.length(), spec);
        Column column = new SeriesColumn(values, "series");
        return new WindowedDataset(spec, new Column[] {column}, column);
    }

    /** Windows over one column that is both the feature and the target: inputs {@code [n, window, 1]}. */
    public static WindowedDataset univariate(double[] values, WindowSpec spec) {
        Objects.requireNonNull(spec, "spec");
        checkLength(values.length, spec);
        Column column = new FloatColumn(toFloats(values, "series"));
        return new WindowedDataset(spec, new Column[] {column}, column);
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
        List<Column> columns = new ArrayList<>();
        Column target = null;
        for (String name : featureColumns) {
            Column column = new FloatColumn(toFloats(series.column(name), "column '" + name + "'"));
            columns.add(column);
            if (name.equalsIgnoreCase(targetColumn)) {
                target = column;
            }
        }
        if (target == null) {
            target = new FloatColumn(toFloats(series.column(targetColumn), "column '" + targetColumn + "'"));
        }
        return new WindowedDataset(spec, columns.toArray(new Column[0]), target);
    }

    /**
     * Windows over feature columns read lazily (e.g. transformed columns of a memory-mapped series),
     * with a target column (which may be one of them): nothing is copied; a value that is not a
     * finite float32 fails the batch that reads it.
     */
    public static WindowedDataset of(DoubleSeries[] featureColumns, DoubleSeries target, WindowSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (featureColumns.length == 0) {
            throw new IllegalArgumentException("windowing needs at least one feature column, got none");
        }
        checkLength(target.length(), spec);
        Column[] columns = new Column[featureColumns.length];
        Column targetColumn = null;
        for (int f = 0; f < featureColumns.length; f++) {
            if (featureColumns[f].length() != target.length()) {
                throw new IllegalArgumentException("feature column " + f + " has " + featureColumns[f].length()
                        + " values but the target has " + target.length() + "; all columns must have the same length");
            }
            columns[f] = new SeriesColumn(featureColumns[f], "feature column " + f);
            if (featureColumns[f] == target) {
                targetColumn = columns[f];
            }
        }
        return new WindowedDataset(
                spec, columns, targetColumn != null ? targetColumn : new SeriesColumn(target, "target"));
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
        Column[] columns = new Column[featureColumns.length];
        for (int f = 0; f < featureColumns.length; f++) {
            if (featureColumns[f].length != target.length) {
                throw new IllegalArgumentException("feature column " + f + " has " + featureColumns[f].length
                        + " values but the target has " + target.length + "; all columns must have the same length");
            }
            columns[f] = new FloatColumn(toFloats(featureColumns[f], "feature column " + f));
        }
        return new WindowedDataset(spec, columns, new FloatColumn(toFloats(target, "target")));
    }

    public WindowSpec spec() {
        return spec;
    }

    /** The number of windows {@code n}. */
    @Override
    public int count() {
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
        float[] step = featureCount == 1 ? null : new float[window];
        for (int r = 0; r < rows.length; r++) {
            checkRow(rows[r]);
            int start = rows[r] * spec.stride();
            int base = r * window * featureCount;
            if (featureCount == 1) {
                features[0].read(start, in, base, window);
            } else {
                for (int f = 0; f < featureCount; f++) {
                    features[f].read(start, step, 0, window);
                    for (int t = 0; t < window; t++) {
                        in[base + t * featureCount + f] = step[t];
                    }
                }
            }
            target.read(start + window, out, r * horizon, horizon);
        }
        return new Batch(Tensor.wrap(in, rows.length, window, featureCount), Tensor.wrap(out, rows.length, horizon));
    }

    /** All windows, {@code [n, window, features]}; prefer {@link #batches} for long series. */
    public Tensor inputs() {
        return batch(allRows()).x();
    }

    /** All targets, {@code [n, horizon]}. */
    public Tensor targets() {
        return batch(allRows()).y();
    }

    private int[] allRows() {
        long values = (long) count * spec.window() * features.length;
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " windows of " + spec.window() + " x " + features.length
                    + " values do not fit one tensor; train from the dataset's batches instead");
        }
        MemoryBudget.require(
                4 * (values + (long) count * spec.horizon()),
                count + " windows of " + spec.window() + " x " + features.length + " values in memory",
                "train from the dataset's batches (Model.fit(dataset, ...)) or raise the heap (-Xmx)");
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
            out[i] = toFloat(values[i], i, what);
        }
        return out;
    }

    private static float toFloat(double value, int index, String what) {
        float f = (float) value;
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException(what + " value at index " + index + " is " + value
                    + ", which is not a finite float32; fill gaps and scale the series before windowing");
        }
        return f;
    }
}
