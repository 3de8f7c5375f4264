package org.rnn4j.data.series;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Named columns of one series, each read by range ({@link DoubleSeries}): a {@link TimeSeries}'s
 * arrays, or the mapped rows of a column cache ({@code ColumnFile.series()}) for a series larger
 * than memory. Columns are matched ignoring case, as {@link TimeSeries#columnIndex}.
 */
public record SeriesColumns(List<String> names, List<DoubleSeries> values) {
    public SeriesColumns {
        names = List.copyOf(names);
        values = List.copyOf(values);
        if (names.isEmpty() || names.size() != values.size()) {
            throw new IllegalArgumentException("a series needs one or more columns with one name each, got " + names
                    + " and " + values.size() + " columns");
        }
        int length = values.get(0).length();
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i).length() != length) {
                throw new IllegalArgumentException("column '" + names.get(i) + "' has "
                        + values.get(i).length() + " rows but '" + names.get(0) + "' has " + length);
            }
        }
    }

    /** The columns of {@code series} (its arrays, not copied further). */
    public static SeriesColumns of(TimeSeries series) {
        List<DoubleSeries> values = new ArrayList<>();
        for (int c = 0; c < series.columns().size(); c++) {
            values.add(DoubleSeries.of(series.column(c)));
        }
        return new SeriesColumns(series.columns(), values);
    }

    public int length() {
        return values.get(0).length();
    }

    public int columnIndex(String name) {
        Objects.requireNonNull(name, "name");
        for (int c = 0; c < names.size(); c++) {
            if (names.get(c).equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("the series has no column '" + name + "'; columns present: " + names);
    }

    public DoubleSeries column(String name) {
        return values.get(columnIndex(name));
    }
}
