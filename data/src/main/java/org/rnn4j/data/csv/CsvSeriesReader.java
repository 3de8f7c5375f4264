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
        CsvRecords records = new CsvRecords(in, source, delimiter);
        CsvRecords.Row header = records.next();
        if (header == null) {
            throw new CsvFormatException(source, 0, null, "the file is empty; expected a header line");
        }
        List<String> names = header.fields().stream().map(String::trim).toList();
        int index = requireColumn(names, column, "key", source, header.line());
        Set<String> values = new LinkedHashSet<>();
        for (CsvRecords.Row row = records.next(); row != null; row = records.next()) {
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

    /** The value columns, as requested (in {@link RowConsumer} order). */
    public List<String> columns() {
        return columns;
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
        List<double[]> rows = new ArrayList<>();
        List<LocalDate> dates = new ArrayList<>();
        boolean[] hasDates = {false};
        stream(in, source, (line, date, values) -> {
            rows.add(values.clone());
            if (date != null) {
                dates.add(date);
                hasDates[0] = true;
            }
        });
        double[][] columnValues = new double[columns.size()][rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            double[] values = rows.get(r);
            for (int i = 0; i < columns.size(); i++) {
                columnValues[i][r] = values[i];
            }
        }
        return TimeSeries.of(columns, columnValues, hasDates[0] ? dates : List.of());
    }

    /** Receives the rows of {@link #stream}, one at a time, after every check. */
    @FunctionalInterface
    public interface RowConsumer {
        /**
         * @param line   the 1-based line the row starts on
         * @param date   the row's date, or {@code null} when the reader reads no dates
         * @param values one value per requested column, in {@link #forColumns} order; the array is
         *               reused for the next row, so copy what you keep
         */
        void accept(int line, LocalDate date, double[] values) throws IOException;
    }

    /**
     * Reads CSV text row by row and hands every kept row to {@code rows} in order, with the same
     * checks and gap policy as {@link #read(Reader, String)}, holding one row at a time: a file of
     * any size streams. With {@link RowOrder#SORT} the rows must be sorted first, so they are
     * collected before the first is handed over. Returns the number of rows handed over.
     */
    public long stream(Reader in, String source, RowConsumer rows) throws IOException {
        CsvRecords records = new CsvRecords(in, source, delimiter);
        CsvRecords.Row header = records.next();
        if (header == null) {
            throw new CsvFormatException(
                    source,
                    0,
                    null,
                    "the file is empty; expected a header line naming the "
                            + "columns (e.g. Date,Open,High,Low,Close,Adj Close,Volume) followed by data rows");
        }
        List<String> names = header.fields().stream().map(String::trim).toList();

        int[] valueIndex = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            valueIndex[i] = requireColumn(names, columns.get(i), "value", source, header.line());
        }
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
        java.time.format.DateTimeFormatter dateFormat = datePattern == null ? null : DateCells.pattern(datePattern);
        CsvRecords.Row row = records.next();
        if (row == null) {
            throw new CsvFormatException(source, 0, null, "the file has a header but no data rows");
        }

        Rows kept = new Rows(source, names, valueIndex, dateIndex, rows);
        List<Parsed> toSort = rowOrder == RowOrder.SORT && dateIndex >= 0 ? new ArrayList<>() : null;
        List<FilterValues> seenFilterValues = new ArrayList<>();
        filterValue.forEach(v -> seenFilterValues.add(new FilterValues()));
        long matched = 0;
        for (; row != null; row = records.next()) {
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
            matched++;
            Parsed p = parse(row, cells, names, valueIndex, dateIndex, dateFormat, source);
            if (toSort != null) {
                toSort.add(p);
            } else {
                kept.offer(p);
            }
        }
        if (matched == 0) {
            StringBuilder b = new StringBuilder("no data row matches");
            int f = 0;
            for (Map.Entry<String, String> e : filters.entrySet()) {
                b.append(f == 0 ? " " : " and ")
                        .append(e.getKey())
                        .append(" = '")
                        .append(e.getValue())
                        .append("' (values present: ")
                        .append(seenFilterValues.get(f))
                        .append(')');
                f++;
            }
            throw new CsvFormatException(source, 0, null, b.toString());
        }
        if (toSort != null) {
            toSort.sort(Comparator.comparing(Parsed::date)); // List.sort is stable
            Parsed previous = null;
            for (Parsed p : toSort) {
                if (previous != null) {
                    checkNoRepeat(previous, p, source, names.get(dateIndex));
                }
                kept.fill(p);
                previous = p;
            }
        }
        if (kept.count == 0) {
            throw new CsvFormatException(
                    source,
                    0,
                    null,
                    "every row has a missing value in " + columns
                            + ", so GapPolicy.DROP left nothing; read other columns");
        }
        return kept.count;
    }

    private Parsed parse(
            CsvRecords.Row row,
            List<String> cells,
            List<String> names,
            int[] valueIndex,
            int dateIndex,
            java.time.format.DateTimeFormatter dateFormat,
            String source) {
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
        return new Parsed(row.line(), date, values);
    }

    private record Parsed(int line, LocalDate date, double[] values) {}

    /**
     * The rows after parsing, in order: the date order is checked against the previous parsed row,
     * gaps are refused, dropped or filled from the previous kept row, and kept rows go on.
     */
    private final class Rows {
        private final String source;
        private final List<String> names;
        private final int[] valueIndex;
        private final int dateIndex;
        private final RowConsumer out;
        private Parsed previousParsed;
        private double[] previousKept;
        long count;

        Rows(String source, List<String> names, int[] valueIndex, int dateIndex, RowConsumer out) {
            this.source = source;
            this.names = names;
            this.valueIndex = valueIndex;
            this.dateIndex = dateIndex;
            this.out = out;
        }

        /** A row in file order: checked against the previous one, then filled. */
        void offer(Parsed current) throws IOException {
            if (dateIndex >= 0 && previousParsed != null) {
                if (current.date().isBefore(previousParsed.date())) {
                    throw new CsvFormatException(
                            source,
                            current.line(),
                            names.get(dateIndex),
                            "rows are not in ascending date order: "
                                    + current.date() + " comes after " + previousParsed.date() + " on line "
                                    + previousParsed.line()
                                    + "; sort the file or read it with withRowOrder(RowOrder.SORT)");
                }
                checkNoRepeat(previousParsed, current, source, names.get(dateIndex));
            }
            previousParsed = current;
            fill(current);
        }

        /** Applies the gap policy and hands a kept row over. */
        void fill(Parsed p) throws IOException {
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
                    case DROP -> {
                        return;
                    }
                    case FORWARD_FILL -> {
                        if (previousKept == null) {
                            throw new CsvFormatException(
                                    source,
                                    p.line(),
                                    names.get(valueIndex[i]),
                                    "the value is missing in the first row, so there is nothing to forward-fill from; "
                                            + "use GapPolicy.DROP");
                        }
                        p.values()[i] = previousKept[i];
                    }
                    default -> throw new IllegalStateException("unhandled gap policy " + gapPolicy);
                }
            }
            previousKept = p.values();
            count++;
            out.accept(p.line(), p.date(), p.values());
        }
    }

    private static void checkNoRepeat(Parsed previous, Parsed current, String source, String dateName) {
        if (current.date().equals(previous.date())) {
            throw new CsvFormatException(
                    source,
                    current.line(),
                    dateName,
                    "the date " + current.date()
                            + " repeats the date on line " + previous.line()
                            + "; remove the duplicate row, or, if the file holds several series in long format"
                            + " (e.g. symbol,date,price), read one series (LongFormatCsv; on the command line"
                            + " --symbol NAME)");
        }
    }

    /** The distinct values of a filter column, up to ten, and how many there were (for "no row matches"). */
    private static final class FilterValues {
        private final Set<String> first = new LinkedHashSet<>();
        private final Set<String> all = new java.util.HashSet<>();
        private static final int KEEP = 10;
        private static final int COUNT_UP_TO = 100_000;

        void add(String value) {
            if (first.size() < KEEP) {
                first.add(value);
            } else if (!first.contains(value) && all.size() < COUNT_UP_TO) {
                all.add(value);
            }
        }

        @Override
        public String toString() {
            if (all.isEmpty()) {
                return new ArrayList<>(first).toString();
            }
            return first + " and " + (all.size() >= COUNT_UP_TO ? "at least " : "") + all.size() + " more";
        }
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

    @Override
    public String toString() {
        return "CsvSeriesReader[columns=" + columns + ", dateColumn=" + dateColumn + ", where=" + filters
                + ", gapPolicy=" + gapPolicy + ", rowOrder=" + rowOrder + ", delimiter='" + delimiter + "'"
                + (datePattern == null ? "" : ", dateFormat=" + datePattern) + "]";
    }
}
