package org.rnn4j.data.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.data.series.TimeSeries;

class CsvSeriesReaderTest {
    private static final String YAHOO = """
            Date,Open,High,Low,Close,Adj Close,Volume
            2020-01-02,3244.669922,3258.139893,3235.530029,3257.850098,3257.850098,3458250000
            2020-01-03,3226.360107,3246.149902,3222.340088,3234.850098,3234.850098,3461290000
            2020-01-06,3217.550049,3246.840088,3214.639893,3246.280029,3246.280029,3674070000
            """;

    private static TimeSeries read(CsvSeriesReader reader, String csv) throws IOException {
        return reader.read(new StringReader(csv), "test.csv");
    }

    private static CsvFormatException fails(CsvSeriesReader reader, String csv) {
        return assertThrows(CsvFormatException.class, () -> read(reader, csv));
    }

    // ---- formats ----

    @Test
    void readsYahooDailyFilesWithDates() throws IOException {
        TimeSeries s = read(CsvSeriesReader.forColumns("Close"), YAHOO);
        assertEquals(List.of("Close"), s.columns());
        assertArrayEquals(new double[] {3257.850098, 3234.850098, 3246.280029}, s.column("Close"));
        assertEquals(List.of(LocalDate.of(2020, 1, 2), LocalDate.of(2020, 1, 3), LocalDate.of(2020, 1, 6)), s.dates());
    }

    @Test
    void matchesColumnsIgnoringCaseSpacesAndUnderscores() throws IOException {
        String lower = "date,open,high,low,close,adjclose,volume\n2000-01-03,1,2,0.5,1.5,1.25,100\n";
        TimeSeries s = read(CsvSeriesReader.forColumns("Adj Close", "CLOSE", "Volume"), lower);
        assertEquals(List.of("Adj Close", "CLOSE", "Volume"), s.columns());
        assertArrayEquals(new double[] {1.25}, s.column("adj close"));
        assertArrayEquals(new double[] {100}, s.column("volume"));
        // and the other way round: "adjclose" finds "Adj Close"
        assertArrayEquals(
                new double[] {3257.850098, 3234.850098, 3246.280029},
                read(CsvSeriesReader.forColumns("adjclose"), YAHOO).column("adjclose"));
    }

    @Test
    void readsVegaDatesAndFiltersBySymbol() throws IOException {
        String stocks = """
                symbol,date,price
                MSFT,Jan 1 2000,39.81
                MSFT,Feb 1 2000,36.35
                AMZN,Jan 1 2000,64.56
                AMZN,Feb 1 2000,68.87
                AMZN,Mar 1 2000,67
                """;
        TimeSeries amzn = read(CsvSeriesReader.forColumns("price").where("symbol", "AMZN"), stocks);
        assertArrayEquals(new double[] {64.56, 68.87, 67}, amzn.column("price"));
        assertEquals(
                List.of(LocalDate.of(2000, 1, 1), LocalDate.of(2000, 2, 1), LocalDate.of(2000, 3, 1)), amzn.dates());
    }

    @Test
    void readsPlainNumericFilesWithoutDates() throws IOException {
        TimeSeries s = read(CsvSeriesReader.forColumns("y"), "x,y\n1,-2.5e-3\n2,+4\n3,.5\n");
        assertFalse(s.hasDates());
        assertArrayEquals(new double[] {-2.5e-3, 4, 0.5}, s.column("y"));
    }

    @Test
    void handlesQuotesCrLfBomAndBlankLines() throws IOException {
        String csv =
                "\uFEFFdate,name,value\r\n2000-01-01,\"Smith, J.\",1\r\n\r\n2000-01-02,\"say \"\"hi\"\"\",\"2\"\r\n";
        TimeSeries s = read(CsvSeriesReader.forColumns("value"), csv);
        assertArrayEquals(new double[] {1, 2}, s.column("value"));
        assertEquals(LocalDate.of(2000, 1, 2), s.dates().get(1));
    }

    @Test
    void readsFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.csv");
        Files.writeString(file, YAHOO);
        assertEquals(3, CsvSeriesReader.forColumns("Open").read(file).length());
    }

    // ---- order ----

    @Test
    void refusesUnsortedRowsNamingTheFirstOutOfOrderLine() {
        String csv = "Date,Close\n2000-01-03,1\n2000-01-05,2\n2000-01-04,3\n2000-01-06,4\n";
        CsvFormatException e = fails(CsvSeriesReader.forColumns("Close"), csv);
        assertEquals(
                "test.csv, line 4, column 'Date': rows are not in ascending date order: 2000-01-04 comes after "
                        + "2000-01-05 on line 3; sort the file or read it with withRowOrder(RowOrder.SORT)",
                e.getMessage());
        assertEquals(4, e.line());
        assertEquals("Date", e.column());
    }

    @Test
    void sortsOnlyWhenAsked() throws IOException {
        String csv = "Date,Close\n2000-01-05,2\n2000-01-03,1\n2000-01-04,3\n";
        TimeSeries s = read(CsvSeriesReader.forColumns("Close").withRowOrder(RowOrder.SORT), csv);
        assertArrayEquals(new double[] {1, 3, 2}, s.column("Close"));
        assertEquals(LocalDate.of(2000, 1, 3), s.dates().get(0));
    }

    @Test
    void refusesRepeatedDates() {
        CsvFormatException e =
                fails(CsvSeriesReader.forColumns("price"), "symbol,date,price\nA,Jan 1 2000,1\nB,Jan 1 2000,2\n");
        assertEquals(
                "test.csv, line 3, column 'date': the date 2000-01-01 repeats the date on line 2; "
                        + "remove the duplicate row, or, if the file holds several series"
                        + " in long format (e.g. symbol,date,price), read one series (LongFormatCsv; on the command line"
                        + " --symbol NAME)",
                e.getMessage());
    }

    // ---- gaps ----

    private static final String WITH_GAPS = """
            Date,Close,Volume
            2000-01-03,10,1
            2000-01-04,null,2
            2000-01-05,,3
            2000-01-06,NaN,4
            2000-01-07,14,
            """;

    @Test
    void gapsAreAnErrorNamingLineAndColumnByDefault() {
        CsvFormatException e = fails(CsvSeriesReader.forColumns("Close"), WITH_GAPS);
        assertEquals(
                "test.csv, line 3, column 'Close': the value is missing; drop such rows or forward-fill them"
                        + " (GapPolicy.DROP / FORWARD_FILL; on the command line --gaps drop or --gaps ffill)",
                e.getMessage());
        assertEquals(3, e.line());
    }

    @Test
    void dropLeavesOutRowsWithAGapInAnySelectedColumn() throws IOException {
        TimeSeries s = read(CsvSeriesReader.forColumns("Close", "Volume").withGapPolicy(GapPolicy.DROP), WITH_GAPS);
        assertArrayEquals(new double[] {10}, s.column("Close"));
        // only the selected columns count: Volume's gap does not drop rows when only Close is read
        TimeSeries closeOnly = read(CsvSeriesReader.forColumns("Close").withGapPolicy(GapPolicy.DROP), WITH_GAPS);
        assertArrayEquals(new double[] {10, 14}, closeOnly.column("Close"));
        assertEquals(List.of(LocalDate.of(2000, 1, 3), LocalDate.of(2000, 1, 7)), closeOnly.dates());
    }

    @Test
    void forwardFillCopiesThePreviousValue() throws IOException {
        TimeSeries s =
                read(CsvSeriesReader.forColumns("Close", "Volume").withGapPolicy(GapPolicy.FORWARD_FILL), WITH_GAPS);
        assertArrayEquals(new double[] {10, 10, 10, 10, 14}, s.column("Close"));
        assertArrayEquals(new double[] {1, 2, 3, 4, 4}, s.column("Volume"));
    }

    @Test
    void forwardFillCannotFillTheFirstRow() {
        CsvFormatException e =
                fails(CsvSeriesReader.forColumns("v").withGapPolicy(GapPolicy.FORWARD_FILL), "v\nnull\n1\n");
        assertEquals(
                "test.csv, line 2, column 'v': the value is missing in the first row, so there is nothing to "
                        + "forward-fill from; use GapPolicy.DROP",
                e.getMessage());
    }

    // ---- bad input: one clear error each ----

    @Test
    void emptyFile() {
        assertEquals(
                "test.csv: the file is empty; expected a header line naming the columns "
                        + "(e.g. Date,Open,High,Low,Close,Adj Close,Volume) followed by data rows",
                fails(CsvSeriesReader.forColumns("Close"), "").getMessage());
        assertEquals(
                "test.csv: the file is empty; expected a header line naming the columns "
                        + "(e.g. Date,Open,High,Low,Close,Adj Close,Volume) followed by data rows",
                fails(CsvSeriesReader.forColumns("Close"), "\n\n").getMessage());
        assertEquals(
                "test.csv: the file has a header but no data rows",
                fails(CsvSeriesReader.forColumns("Close"), "Date,Close\n").getMessage());
    }

    @Test
    void missingColumnListsTheColumnsPresent() {
        CsvFormatException e = fails(CsvSeriesReader.forColumns("Price"), YAHOO);
        assertEquals(
                "test.csv, line 1: no value column 'Price'; columns present: "
                        + "[Date, Open, High, Low, Close, Adj Close, Volume]",
                e.getMessage());
    }

    @Test
    void textInANumberColumnNamesRowColumnAndText() {
        String csv = "Date,Close\n2000-01-03,1.5\n2000-01-04,1,234\n";
        assertEquals(
                "test.csv, line 3: the row has 3 fields but the header has 2 [Date, Close]; quote fields that contain commas"
                        + " (or name the delimiter if it is not a comma)",
                fails(CsvSeriesReader.forColumns("Close"), csv).getMessage());
        CsvFormatException e =
                fails(CsvSeriesReader.forColumns("Close"), "Date,Close\n2000-01-03,1.5\n2000-01-04,abc\n");
        assertEquals(
                "test.csv, line 3, column 'Close': 'abc' is not a number; fix the cell or read another column",
                e.getMessage());
        assertEquals(3, e.line());
        assertEquals("Close", e.column());
        // Java's parser would take "1d" and "0x1p3"; a CSV number column should not
        assertTrue(
                fails(CsvSeriesReader.forColumns("v"), "v\n1d\n").getMessage().contains("'1d' is not a number"));
        assertTrue(fails(CsvSeriesReader.forColumns("v"), "v\nInfinity\n")
                .getMessage()
                .contains("'Infinity' is not a number"));
    }

    @Test
    void badDatesAndFiltersThatMatchNothing() {
        assertEquals(
                "test.csv, line 2, column 'Date': '01/03/2000' is not a date; accepted forms: "
                        + "yyyy-MM-dd (2000-01-03) or MMM d yyyy (Jan 3 2000)"
                        + " (name another with a date format, e.g. dd.MM.yyyy)",
                fails(CsvSeriesReader.forColumns("Close"), "Date,Close\n01/03/2000,1\n")
                        .getMessage());
        assertEquals(
                "test.csv: no data row matches symbol = 'AMZM' (values present: [MSFT, AMZN])",
                fails(
                                CsvSeriesReader.forColumns("price").where("symbol", "AMZM"),
                                "symbol,date,price\nMSFT,Jan 1 2000,1\nAMZN,Jan 1 2000,2\n")
                        .getMessage());
        assertEquals(
                "test.csv, line 1: no date column 'Day'; columns present: [Date, Close]",
                fails(CsvSeriesReader.forColumns("Close").withDateColumn("Day"), "Date,Close\n2000-01-03,1\n")
                        .getMessage());
    }

    @Test
    void lineNumbersCountBlankAndMultiLineRows() {
        String csv = "Date,Note,Close\n\n2000-01-03,\"two\nlines\",1\n2000-01-04,x,oops\n";
        CsvFormatException e = fails(CsvSeriesReader.forColumns("Close"), csv);
        assertEquals(5, e.line(), e.getMessage());
    }

    @Test
    void withoutDatesKeepsFileOrder() throws IOException {
        TimeSeries s =
                read(CsvSeriesReader.forColumns("Close").withoutDates(), "Date,Close\n2000-01-05,2\n2000-01-03,1\n");
        assertFalse(s.hasDates());
        assertArrayEquals(new double[] {2, 1}, s.column("Close"));
    }
}
