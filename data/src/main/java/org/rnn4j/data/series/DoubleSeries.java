package org.rnn4j.data.series;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * A column of doubles read by range: an array, a memory-mapped column file, or a lazy view of
 * another series (its differences, its scaled values). Lets differencing, scaling and windowing
 * work the same on a series in memory and on one larger than memory. Indices are {@code int}, so a
 * series holds at most {@code 2^31 - 1} values.
 */
public interface DoubleSeries {

    /** The number of values. */
    int length();

    /** Copies values {@code [from, from + count)} into {@code dst[offset ..]}. */
    void read(int from, double[] dst, int offset, int count);

    /** Value {@code index}. */
    default double get(int index) {
        double[] one = new double[1];
        read(index, one, 0, 1);
        return one[0];
    }

    /** Values {@code [from, to)} as a new array. */
    default double[] toArray(int from, int to) {
        checkRange(from, to - from, length());
        double[] out = new double[to - from];
        read(from, out, 0, out.length);
        return out;
    }

    /** Values {@code [from, to)} as a series of their own (a view). */
    default DoubleSeries slice(int from, int to) {
        checkRange(from, to - from, length());
        DoubleSeries source = this;
        return new DoubleSeries() {
            @Override
            public int length() {
                return to - from;
            }

            @Override
            public void read(int start, double[] dst, int offset, int count) {
                checkRange(start, count, to - from);
                source.read(from + start, dst, offset, count);
            }
        };
    }

    /** {@code f} applied to every value as it is read (a view), e.g. a fitted scaler's {@code transform}. */
    default DoubleSeries map(DoubleUnaryOperator f) {
        Objects.requireNonNull(f, "f");
        DoubleSeries source = this;
        return new DoubleSeries() {
            @Override
            public int length() {
                return source.length();
            }

            @Override
            public void read(int from, double[] dst, int offset, int count) {
                source.read(from, dst, offset, count);
                for (int i = offset; i < offset + count; i++) {
                    dst[i] = f.applyAsDouble(dst[i]);
                }
            }
        };
    }

    /** The values of an array (not copied: do not change it afterwards). */
    static DoubleSeries of(double[] values) {
        Objects.requireNonNull(values, "values");
        return new DoubleSeries() {
            @Override
            public int length() {
                return values.length;
            }

            @Override
            public void read(int from, double[] dst, int offset, int count) {
                checkRange(from, count, values.length);
                System.arraycopy(values, from, dst, offset, count);
            }

            @Override
            public double get(int index) {
                return values[index];
            }

            @Override
            public String toString() {
                return "DoubleSeries"
                        + (values.length <= 8 ? Arrays.toString(values) : "[" + values.length + " values]");
            }
        };
    }

    /**
     * Calls {@code each} with every value of {@code [from, to)} in order, reading blocks of
     * {@code 8192}: a streaming pass in bounded memory.
     */
    default void forEach(int from, int to, DoubleIndexConsumer each) {
        checkRange(from, to - from, length());
        double[] block = new double[Math.min(8192, Math.max(1, to - from))];
        for (int start = from; start < to; start += block.length) {
            int n = Math.min(block.length, to - start);
            read(start, block, 0, n);
            for (int i = 0; i < n; i++) {
                each.accept(start + i, block[i]);
            }
        }
    }

    /** A value and its index. */
    @FunctionalInterface
    interface DoubleIndexConsumer {
        void accept(int index, double value);
    }

    /** Refuses a range {@code [from, from + count)} outside {@code [0, length)}. */
    static void checkRange(int from, int count, int length) {
        if (from < 0 || count < 0 || from > length - count) {
            throw new IndexOutOfBoundsException(
                    "range [" + from + ", " + ((long) from + count) + ") is outside the " + length + " values");
        }
    }
}
