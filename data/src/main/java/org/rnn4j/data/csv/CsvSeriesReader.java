package org.rnn4j.data.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.rnn4j.api.input.BoundedInput;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.data.series.TimeSeries;

/**
 * Reads numeric columns of a CSV file into a {@link TimeSeries}. Works for Yahoo-style daily files
 * ({@code Date,Open,High,Low,Close,Adj Close,Volume} and the lowercase
 * {@code date,open,...,adjclose,volume} form), the vega {@code symbol,date,price} file, and any
 * numeric CSV with a header line.
 *
 * <pre>{@code
 * TimeSeries close = CsvSeriesReader.forColumns("Close").read(Path.of("sp500.csv"));
 * TimeSeries amzn = CsvSeriesReader.forColumns("price").where("symbol", "AMZN").read(Path.of("stocks.csv"));
 * }</pre>
 *
 * <p>Columns are matched ignoring case, then ignoring everything but letters and digits, so
 * {@code "Adj Close"} finds {@code adjclose} and the other way round; the series keeps the names as
 * requested. A column called {@code date} is the date column unless another is named or
 * {@link #withoutDates()} is chosen. Dates are {@code yyyy-MM-dd} or {@code MMM d yyyy}.
 *
 * <p>Checks, each failing with one {@link CsvFormatException} that names the line (1-based, as in
 * an editor) and column: an empty file; an unknown column (the message lists the columns
 * present); text in a number column; a bad or missing date; rows out of date order (unless
 * {@link RowOrder#SORT}); repeated dates; missing cells ({@code null}, empty, {@code NaN}) unless a
 * {@link GapPolicy} says otherwise. Immutable: every {@code with...} returns a new reader.
 */
public final class CsvSeriesReader {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final String AUTO_DATE = "date";

    private final List<String> columns;
    private final String dateColumn; // null: none
    private final boolean dateColumnExplicit;
    private final Map<String, String> filters;
    private final GapPolicy gapPolicy;
    private final RowOrder rowOrder;
    private final char delimiter;
    private final String datePattern; // null: the accepted forms of DateCells

    private CsvSeriesReader(
            List<String> columns,
            String dateColumn,
            boolean dateColumnExplicit,
            Map<String, String> filters,
            GapPolicy gapPolicy,
            RowOrder rowOrder,
            char delimiter,
            String datePattern) {
        this.columns = columns;
        this.dateColumn = dateColumn;
        this.dateColumnExplicit = dateColumnExplicit;
        this.filters = filters;
        this.gapPolicy = gapPolicy;
        this.rowOrder = rowOrder;
        this.delimiter = delimiter;
        this.datePattern = datePattern;
    }

    /**
     * A reader of the named value columns, with the defaults: a {@code date} column if the file has
     * one, {@link GapPolicy#REFUSE}, {@link RowOrder#REQUIRE_ASCENDING}, no filter.
     */
    public static CsvSeriesReader forColumns(String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("name at least one value column to read, e.g. forColumns(\"Close\")");
        }
        for (String c : columns) {
            if (c == null || c.isBlank()) {
                throw new IllegalArgumentException(
                        "value column names must not be blank, got " + Arrays.toString(columns));
            }
        }
        return new CsvSeriesReader(
                List.of(columns), AUTO_DATE, false, Map.of(), GapPolicy.REFUSE, RowOrder.REQUIRE_ASCENDING, ',', null);
    }

    /** Reads dates from {@code column}, which must exist. */
    public CsvSeriesReader withDateColumn(String column) {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException(
                    "date column name must not be blank; use withoutDates() for a file without dates");
        }
        return new CsvSeriesReader(columns, column, true, filters, gapPolicy, rowOrder, delimiter, datePattern);
    }

    /** Reads no dates: rows stay in file order and the series has none. */
    public CsvSeriesReader withoutDates() {
        return new CsvSeriesReader(columns, null, true, filters, gapPolicy, rowOrder, delimiter, datePattern);
    }

    /** Keeps only rows whose {@code column} equals {@code value} exactly (after trimming); several filters all apply. */
    public CsvSeriesReader where(String column, String value) {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(value, "value");
        Map<String, String> more = new LinkedHashMap<>(filters);
        more.put(column, value.trim());
        return new CsvSeriesReader(
                columns,
                dateColumn,
                dateColumnExplicit,
                Collections.unmodifiableMap(more),
                gapPolicy,
                rowOrder,
                delimiter,
                datePattern);
    }

    public CsvSeriesReader withGapPolicy(GapPolicy policy) {
        return new CsvSeriesReader(
                columns,
                dateColumn,
                dateColumnExplicit,
                filters,
                Objects.requireNonNull(policy, "gap policy"),
                rowOrder,
                delimiter,
                datePattern);
    }

    public CsvSeriesReader withRowOrder(RowOrder order) {
        return new CsvSeriesReader(
                columns,
                dateColumn,
                dateColumnExplicit,
                filters,
                gapPolicy,
                Objects.requireNonNull(order, "row order"),
                delimiter,
                datePattern);
    }

    /**
     * Splits fields at {@code delimiter} instead of a comma (e.g. {@code ';'} for spreadsheets
     * with a decimal comma, {@code '\t'} for tab-separated files); not a quote, letter, digit or
     * line break.
     */
    public CsvSeriesReader withDelimiter(char delimiter) {
        if (delimiter == '"'
                || delimiter == '\n'
                || delimiter == '\r'
                || Character.isLetterOrDigit(delimiter)
                || delimiter == '.'
                || delimiter == '-'
                || delimiter == '+') {
            throw new IllegalArgumentException("'" + delimiter + "' cannot separate CSV fields (it occurs in numbers,"
                    + " dates or quoting); use ',', ';', '|' or a tab");
        }
        return new CsvSeriesReader(
                columns, dateColumn, dateColumnExplicit, filters, gapPolicy, rowOrder, delimiter, datePattern);
    }

    /**
     * Reads dates with {@code pattern} ({@link java.time.format.DateTimeFormatter} letters such as
     * {@code dd.MM.yyyy} or {@code MM/dd/yyyy}, English month names) instead of the accepted forms.
     */
    public CsvSeriesReader withDateFormat(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("a date format must not be blank; e.g. dd.MM.yyyy");
        }
        DateCells.pattern(pattern); // a bad pattern fails here, before any file is read
        return new CsvSeriesReader(
                columns, dateColumn, dateColumnExplicit, filters, gapPolicy, rowOrder, delimiter, pattern);
    }

    /**
     * The distinct values of {@code column}, in order of first appearance: the series a long-format
     * file holds (e.g. the symbols of {@code symbol,date,price}). The value columns are not read.
     */
    public List<String> distinctValues(Reader in, String source, String column) throws IOException {
        Reader buffered = in.markSupported() ? in : new BufferedReader(in);
        List<CsvRecords.Row> rows = CsvRecords.read(buffered, source, delimiter);
        if (rows.isEmpty()) {
            throw new CsvFormatException(source, 0, null, "the file is empty; expected a header line");
        }
        CsvRecords.Row header = rows.get(0);
        List<String> names = header.fields().stream().map(String::trim).toList();
        int index = requireColumn(names, column, "key", source, header.line());
        Set<String> values = new LinkedHashSet<>();
        for (CsvRecords.Row row : rows.subList(1, rows.size())) {
            if (row.fields().size() == names.size()) {
                values.add(row.fields().get(index).trim());
            }
        }
        return List.copyOf(values);
    }

    /** The header's column names, trimmed. */
    public List<String> header(Reader in, String source) throws IOException {
        BufferedReader buffered = in instanceof BufferedReader b ? b : new BufferedReader(in);
        StringBuilder first = new StringBuilder();
        String line;
        while ((line = buffered.readLine()) != null && line.isBlank()) {
            // Blank lines before the header are skipped, as when reading.
        }
        if (line == null) {
            throw new CsvFormatException(source, 0, null, "the file is empty; expected a header line");
        }
        first.append(line);
        return CsvRecords.read(new java.io.StringReader(first.toString()), source, delimiter).get(0).fields().stream()
                .map(String::trim)
                .toList();
    }

    /** A strict UTF-8 reader of a regular file that stops at {@link InputCap#CSV} bytes. */
    static Reader open(Path file) throws IOException {
        return new BufferedReader(
                new InputStreamReader(BoundedInput.open(file, InputCap.CSV), StandardCharsets.UTF_8.newDecoder()));
    }

    /** Reads a UTF-8 regular file of at most {@link InputCap#CSV} bytes; the file name appears in error messages. */
    public TimeSeries read(Path file) throws IOException {
        try (Reader in = open(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads UTF-8 bytes; {@code source} names the stream in error messages. The stream is not closed. */
    public TimeSeries read(InputStream in, String source) throws IOException {
        return read(new InputStreamReader(in, StandardCharsets.UTF_8), source);
    }

    /** Reads CSV text; {@code source} names it in error messages. The reader is not closed. */
    public TimeSeries read(Reader in, String source) throws IOException {
        Reader buffered = in.markSupported() ? in : new BufferedReader(in);
        List<CsvRecords.Row> rows = CsvRecords.read(buffered, source, delimiter);
        if (rows.isEmpty()) {
            throw new CsvFormatException(
                    source,
                    0,
                    null,
                    "the file is empty; expected a header line naming the "
                            + "columns (e.g. Date,Open,High,Low,Close,Adj Close,Volume) followed by data rows");
        }
        CsvRecords.Row header = rows.get(0);
        List<String> names = header.fields().stream().map(String::trim).toList();

        int[] valueIndex = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            valueIndex[i] = requireColumn(names, columns.get(i), "value", source, header.line());
        }
        java.time.format.DateTimeFormatter dateFormat = datePattern == null ? null : DateCells.pattern(datePattern);
        int dateIndex = -1;
        if (dateColumn != null) {
            dateIndex = dateColumnExplicit
                    ? requireColumn(names, dateColumn, "date", source, header.line())
                    : findColumn(names, dateColumn, source, header.line());
        }
        List<Integer> filterIndex = new ArrayList<>();
        List<String> filterValue = new ArrayList<>();
        for (Map.Entry<String, String> f : filters.entrySet()) {
            filterIndex.add(requireColumn(names, f.getKey(), "filter", source, header.line()));
            filterValue.add(f.getValue());
        }
        if (rows.size() == 1) {
            throw new CsvFormatException(source, 0, null, "the file has a header but no data rows");
        }

        List<Parsed> parsed = new ArrayList<>();
        List<Set<String>> seenFilterValues = new ArrayList<>();
        filterValue.forEach(v -> seenFilterValues.add(new LinkedHashSet<>()));
        for (CsvRecords.Row row : rows.subList(1, rows.size())) {
            List<String> cells = row.fields();
            if (cells.size() != names.size()) {
                throw new CsvFormatException(
                        source,
                        row.line(),
                        null,
                        "the row has " + cells.size()
                                + " fields but the header has " + names.size() + " " + names
                                + (delimiter == ','
                                        ? "; quote fields that contain commas (or name the delimiter if it is not a comma)"
                                        : "; quote fields that contain '" + delimiter + "'"));
            }
            boolean keep = true;
            for (int f = 0; f < filterIndex.size(); f++) {
                String cell = cells.get(filterIndex.get(f)).trim();
                seenFilterValues.get(f).add(cell);
                keep &= cell.equals(filterValue.get(f));
            }
            if (!keep) {
                continue;
            }
            LocalDate date = null;
            if (dateIndex >= 0) {
                String text = cells.get(dateIndex);
                if (isMissing(text)) {
                    throw new CsvFormatException(
                            source,
                            row.line(),
                            names.get(dateIndex),
                            "the date is missing ('" + text.trim() + "'); every row needs a date");
                }
                date = dateFormat == null ? DateCells.parse(text) : DateCells.parse(text, dateFormat);
                if (date == null) {
                    throw new CsvFormatException(
                            source,
                            row.line(),
                            names.get(dateIndex),
                            "'" + text.trim() + "' is not a date; "
                                    + (datePattern == null
                                            ? "accepted forms: " + DateCells.ACCEPTED
                                                    + " (name another with a date format, e.g. dd.MM.yyyy)"
                                            : "expected the date format " + datePattern));
                }
            }
            double[] values = new double[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                String text = cells.get(valueIndex[i]);
                if (isMissing(text)) {
                    values[i] = Double.NaN;
                } else if (NUMBER.matcher(text.trim()).matches()) {
                    values[i] = Double.parseDouble(text.trim());
                    if (!Double.isFinite(values[i])) {
                        throw new CsvFormatException(
                                source,
                                row.line(),
                                names.get(valueIndex[i]),
                                "'" + text.trim() + "' is too large for a double");
                    }
                } else {
                    throw new CsvFormatException(
                            source,
                            row.line(),
                            names.get(valueIndex[i]),
                            "'" + text.trim() + "' is not a number; fix the cell or read another column");
                }
            }
            parsed.add(new Parsed(row.line(), date, values));
        }
        if (parsed.isEmpty()) {
            StringBuilder b = new StringBuilder("no data row matches");
            int f = 0;
            for (Map.Entry<String, String> e : filters.entrySet()) {
                b.append(f == 0 ? " " : " and ")
                        .append(e.getKey())
                        .append(" = '")
                        .append(e.getValue())
                        .append("' (values present: ")
                        .append(limited(seenFilterValues.get(f)))
                        .append(')');
                f++;
            }
            throw new CsvFormatException(source, 0, null, b.toString());
        }

        if (dateIndex >= 0) {
            parsed = ordered(parsed, source, names.get(dateIndex));
        }
        parsed = filledGaps(parsed, source, names, valueIndex);

        double[][] columnValues = new double[columns.size()][parsed.size()];
        List<LocalDate> dates = new ArrayList<>(dateIndex >= 0 ? parsed.size() : 0);
        for (int r = 0; r < parsed.size(); r++) {
            Parsed p = parsed.get(r);
            for (int i = 0; i < columns.size(); i++) {
                columnValues[i][r] = p.values()[i];
            }
            if (dateIndex >= 0) {
                dates.add(p.date());
            }
        }
        return TimeSeries.of(columns, columnValues, dates);
    }

    private record Parsed(int line, LocalDate date, double[] values) {}

    private List<Parsed> ordered(List<Parsed> rows, String source, String dateName) {
        for (int r = 1; r < rows.size(); r++) {
            Parsed previous = rows.get(r - 1);
            Parsed current = rows.get(r);
            if (current.date().isBefore(previous.date())) {
                if (rowOrder == RowOrder.SORT) {
                    List<Parsed> sorted = new ArrayList<>(rows);
                    sorted.sort(Comparator.comparing(Parsed::date)); // List.sort is stable
                    checkNoRepeats(sorted, source, dateName);
                    return sorted;
                }
                throw new CsvFormatException(
                        source,
                        current.line(),
                        dateName,
                        "rows are not in ascending date order: "
                                + current.date() + " comes after " + previous.date() + " on line " + previous.line()
                                + "; sort the file or read it with withRowOrder(RowOrder.SORT)");
            }
        }
        checkNoRepeats(rows, source, dateName);
        return rows;
    }

    private static void checkNoRepeats(List<Parsed> rows, String source, String dateName) {
        for (int r = 1; r < rows.size(); r++) {
            if (rows.get(r).date().equals(rows.get(r - 1).date())) {
                throw new CsvFormatException(
                        source,
                        rows.get(r).line(),
                        dateName,
                        "the date " + rows.get(r).date()
                                + " repeats the date on line " + rows.get(r - 1).line()
                                + "; remove the duplicate row, or, if the file holds several series in long format"
                                + " (e.g. symbol,date,price), read one series (LongFormatCsv; on the command line"
                                + " --symbol NAME)");
            }
        }
    }

    private List<Parsed> filledGaps(List<Parsed> rows, String source, List<String> names, int[] valueIndex) {
        List<Parsed> out = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            Parsed p = rows.get(r);
            boolean drop = false;
            for (int i = 0; i < columns.size(); i++) {
                if (!Double.isNaN(p.values()[i])) {
                    continue;
                }
                switch (gapPolicy) {
                    case REFUSE ->
                        throw new CsvFormatException(
                                source,
                                p.line(),
                                names.get(valueIndex[i]),
                                "the value is missing; drop such rows or forward-fill them"
                                        + " (GapPolicy.DROP / FORWARD_FILL; on the command line --gaps drop or --gaps ffill)");
                    case DROP -> drop = true;
                    case FORWARD_FILL -> {
                        if (out.isEmpty()) {
                            throw new CsvFormatException(
                                    source,
                                    p.line(),
                                    names.get(valueIndex[i]),
                                    "the value is missing in the first row, so there is nothing to forward-fill from; "
                                            + "use GapPolicy.DROP");
                        }
                        p.values()[i] = out.get(out.size() - 1).values()[i];
                    }
                    default -> throw new IllegalStateException("unhandled gap policy " + gapPolicy);
                }
            }
            if (!drop) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new CsvFormatException(
                    source,
                    0,
                    null,
                    "every row has a missing value in " + columns
                            + ", so GapPolicy.DROP left nothing; read other columns");
        }
        return out;
    }

    private static boolean isMissing(String cell) {
        String t = cell.trim();
        return t.isEmpty() || t.equalsIgnoreCase("null") || t.equalsIgnoreCase("nan");
    }

    /** Finds a column by exact name ignoring case, else by letters and digits only; -1 when absent. */
    private static int findColumn(List<String> names, String wanted, String source, int headerLine) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(wanted)) {
                return i;
            }
        }
        String key = normalised(wanted);
        int found = -1;
        for (int i = 0; i < names.size(); i++) {
            if (!key.isEmpty() && normalised(names.get(i)).equals(key)) {
                if (found >= 0) {
                    throw new CsvFormatException(
                            source,
                            headerLine,
                            null,
                            "column '" + wanted + "' matches both '" + names.get(found) + "' and '" + names.get(i)
                                    + "'; name it exactly as in the header");
                }
                found = i;
            }
        }
        return found;
    }

    private static int requireColumn(List<String> names, String wanted, String role, String source, int headerLine) {
        int i = findColumn(names, wanted, source, headerLine);
        if (i < 0) {
            throw new CsvFormatException(
                    source, headerLine, null, "no " + role + " column '" + wanted + "'; columns present: " + names);
        }
        return i;
    }

    private static String normalised(String name) {
        StringBuilder b = new StringBuilder();
        name.toLowerCase(Locale.ROOT)
                .codePoints()
                .filter(Character::isLetterOrDigit)
                .forEach(b::appendCodePoint);
        return b.toString();
    }

    private static String limited(Set<String> values) {
        List<String> list = new ArrayList<>(values);
        return list.size() <= 10 ? list.toString() : list.subList(0, 10) + " and " + (list.size() - 10) + " more";
    }

    @Override
    public String toString() {
        return "CsvSeriesReader[columns=" + columns + ", dateColumn=" + dateColumn + ", where=" + filters
                + ", gapPolicy=" + gapPolicy + ", rowOrder=" + rowOrder + ", delimiter='" + delimiter + "'"
                + (datePattern == null ? "" : ", dateFormat=" + datePattern) + "]";
    }
}
