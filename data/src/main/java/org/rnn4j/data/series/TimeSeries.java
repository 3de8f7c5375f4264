package org.rnn4j.data.series;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An immutable numeric time series: {@code length()} rows in chronological order, one or more
 * named {@code double} columns and, optionally, one date per row. Column names are matched
 * case-insensitively. Accessors return copies, so a series can be shared freely.
 */
public final class TimeSeries {
    private final List<String> columns;
    private final double[][] values; // [column][row]
    private final List<LocalDate> dates; // empty when the series has no dates

    private TimeSeries(List<String> columns, double[][] values, List<LocalDate> dates) {
        this.columns = columns;
        this.values = values;
        this.dates = dates;
    }

    /**
     * A series from column-major values; the arrays are copied.
     *
     * @param columns      column names, unique ignoring case
     * @param columnValues {@code [columns][rows]}, all rows the same length, every value finite
     * @param dates        one date per row, strictly ascending, or an empty list for no dates
     */
    public static TimeSeries of(List<String> columns, double[][] columnValues, List<LocalDate> dates) {
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(columnValues, "columnValues");
        Objects.requireNonNull(dates, "dates");
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a time series needs at least one column, got none");
        }
        if (columns.size() != columnValues.length) {
            throw new IllegalArgumentException("time series has " + columns.size() + " column names " + columns
                    + " but " + columnValues.length + " value columns; pass one array per name");
        }
        for (int i = 0; i < columns.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (columns.get(i).equalsIgnoreCase(columns.get(j))) {
                    throw new IllegalArgumentException("time series column names must be unique ignoring case, got '"
                            + columns.get(j) + "' and '" + columns.get(i) + "'");
                }
            }
        }
        int length = columnValues[0].length;
        double[][] copy = new double[columnValues.length][];
        for (int c = 0; c < columnValues.length; c++) {
            if (columnValues[c].length != length) {
                throw new IllegalArgumentException("time series column '" + columns.get(c) + "' has "
                        + columnValues[c].length + " rows but column '" + columns.get(0) + "' has " + length
                        + "; all columns must have the same length");
            }
            for (int r = 0; r < length; r++) {
                if (!Double.isFinite(columnValues[c][r])) {
                    throw new IllegalArgumentException(
                            "time series column '" + columns.get(c) + "' has the non-finite value " + columnValues[c][r]
                                    + " at row " + r + "; remove or fill gaps before building the series");
                }
            }
            copy[c] = columnValues[c].clone();
        }
        if (!dates.isEmpty()) {
            if (dates.size() != length) {
                throw new IllegalArgumentException("time series has " + dates.size() + " dates but " + length
                        + " rows; pass one date per row or none");
            }
            for (int r = 1; r < length; r++) {
                if (!dates.get(r).isAfter(dates.get(r - 1))) {
                    throw new IllegalArgumentException("time series dates must be strictly ascending, but row " + r
                            + " (" + dates.get(r) + ") is not after row " + (r - 1) + " (" + dates.get(r - 1) + ")");
                }
            }
        }
        return new TimeSeries(List.copyOf(columns), copy, List.copyOf(dates));
    }

    /** A single-column series without dates; the array is copied. */
    public static TimeSeries of(String column, double[] values) {
        return of(List.of(column), new double[][] {values}, List.of());
    }

    /** The number of rows (time steps). */
    public int length() {
        return values[0].length;
    }

    /** The column names in their stored order. */
    public List<String> columns() {
        return columns;
    }

    /** True when every row carries a date. */
    public boolean hasDates() {
        return !dates.isEmpty();
    }

    /** One date per row, or an empty list when the series has none. */
    public List<LocalDate> dates() {
        return dates;
    }

    /** The index of a column, matched ignoring case; an unknown name lists the columns present. */
    public int columnIndex(String name) {
        Objects.requireNonNull(name, "name");
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("time series has no column '" + name + "'; columns present: " + columns);
    }

    /** A copy of one column's values, {@code [length]}. */
    public double[] column(String name) {
        return values[columnIndex(name)].clone();
    }

    /** A copy of the column at {@code index}, {@code [length]}. */
    public double[] column(int index) {
        if (index < 0 || index >= columns.size()) {
            throw new IllegalArgumentException("column index must be in [0, " + columns.size() + "), got " + index);
        }
        return values[index].clone();
    }

    /** One value; {@code row} in {@code [0, length)}. */
    public double value(int row, String column) {
        int c = columnIndex(column);
        if (row < 0 || row >= length()) {
            throw new IllegalArgumentException("row must be in [0, " + length() + "), got " + row);
        }
        return values[c][row];
    }

    /** Rows {@code [from, to)} as a new series (dates included). */
    public TimeSeries slice(int from, int to) {
        if (from < 0 || to > length() || from > to) {
            throw new IllegalArgumentException(
                    "slice [" + from + ", " + to + ") must lie within [0, " + length() + "] with from <= to");
        }
        double[][] part = new double[values.length][];
        for (int c = 0; c < values.length; c++) {
            part[c] = Arrays.copyOfRange(values[c], from, to);
        }
        return new TimeSeries(columns, part, dates.isEmpty() ? dates : List.copyOf(dates.subList(from, to)));
    }

    /** A series with only the named columns, in the given order (dates kept). */
    public TimeSeries select(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("select needs at least one column name; columns present: " + columns);
        }
        List<String> kept = new ArrayList<>();
        double[][] part = new double[names.length][];
        for (int i = 0; i < names.length; i++) {
            int c = columnIndex(names[i]);
            kept.add(columns.get(c));
            part[i] = values[c];
        }
        return of(kept, part, dates);
    }

    @Override
    public String toString() {
        String span = dates.isEmpty() ? "no dates" : dates.get(0) + " .. " + dates.get(dates.size() - 1);
        return String.format(
                Locale.ROOT,
                "TimeSeries[%d rows, columns %s, %s]",
                length(),
                Collections.unmodifiableList(columns),
                span);
    }
}
