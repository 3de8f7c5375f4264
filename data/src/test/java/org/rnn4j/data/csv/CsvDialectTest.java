package org.rnn4j.data.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Delimiters, date formats and long-format files. */
class CsvDialectTest {
    @TempDir
    Path tmp;

    @Test
    void semicolonFilesWithDayFirstDates() throws IOException {
        String csv = "Datum;Schluss;Volumen\n02.01.2020;\"3,5\";10\n03.01.2020;4;11\n";
        TimeSeries s = CsvSeriesReader.forColumns("Volumen")
                .withDelimiter(';')
                .withDateColumn("Datum")
                .withDateFormat("dd.MM.yyyy")
                .read(new StringReader(csv), "de.csv");
        assertArrayEquals(new double[] {10, 11}, s.column("Volumen"));
        assertEquals(List.of(LocalDate.of(2020, 1, 2), LocalDate.of(2020, 1, 3)), s.dates());
    }

    @Test
    void tabSeparatedFiles() throws IOException {
        TimeSeries s = CsvSeriesReader.forColumns("close")
                .withDelimiter('\t')
                .read(new StringReader("date\tclose\n2020-01-02\t1.5\n2020-01-03\t2.5\n"), "t.tsv");
        assertArrayEquals(new double[] {1.5, 2.5}, s.column("close"));
    }

    @Test
    void aDateThatDoesNotMatchTheFormatNamesIt() {
        CsvFormatException e = assertThrows(
                CsvFormatException.class,
                () -> CsvSeriesReader.forColumns("v")
                        .withDateFormat("MM/dd/yyyy")
                        .read(new StringReader("date,v\n01/02/2020,1\n2020-01-03,2\n"), "us.csv"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("expected the date format MM/dd/yyyy"), e.getMessage());
    }

    @Test
    void badPatternsAndDelimitersAreRefusedUpFront() {
        IllegalArgumentException p = assertThrows(
                IllegalArgumentException.class,
                () -> CsvSeriesReader.forColumns("v").withDateFormat("qqqq-bb"));
        assertTrue(p.getMessage().contains("'qqqq-bb' is not a valid pattern"), p.getMessage());
        IllegalArgumentException d = assertThrows(
                IllegalArgumentException.class,
                () -> CsvSeriesReader.forColumns("v").withDelimiter('.'));
        assertTrue(d.getMessage().contains("cannot separate CSV fields"), d.getMessage());
    }

    @Test
    void longFormatListsKeysAndReadsOne() throws IOException {
        Path f = tmp.resolve("stocks.csv");
        Files.writeString(
                f,
                "symbol,date,price\nMSFT,Jan 1 2000,39.81\nAMZN,Jan 1 2000,64.56\nMSFT,Feb 1 2000,36.35\n"
                        + "AMZN,Feb 1 2000,68.87\n");
        LongFormatCsv stocks = new LongFormatCsv("symbol", CsvSeriesReader.forColumns("price"));
        assertTrue(stocks.isLongFormat(f));
        assertEquals(List.of("MSFT", "AMZN"), stocks.keys(f));
        assertArrayEquals(new double[] {64.56, 68.87}, stocks.read(f, "AMZN").column("price"));
        assertEquals(2, stocks.readAll(f).size());
        CsvFormatException unknown = assertThrows(CsvFormatException.class, () -> stocks.read(f, "AAPL"));
        assertTrue(unknown.getMessage().contains("values present: [MSFT, AMZN]"), unknown.getMessage());
        // Reading it as one series fails on the repeated date, with a way out for long files.
        CsvFormatException whole = assertThrows(
                CsvFormatException.class,
                () -> CsvSeriesReader.forColumns("price").read(f));
        assertTrue(whole.getMessage().contains("--symbol NAME"), whole.getMessage());
    }

    @Test
    void aWideFileIsNotLongFormat() throws IOException {
        Path f = tmp.resolve("wide.csv");
        Files.writeString(f, "date,close\n2020-01-02,1\n");
        assertEquals(false, new LongFormatCsv("symbol", CsvSeriesReader.forColumns("close")).isLongFormat(f));
    }
}
