package org.rnn4j.zoo.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourceTest {
    @TempDir
    Path tmp;

    @Test
    void theShippedLongFileNeedsASymbolAndListsThem() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DataSource.series("stocks", List.of("price"), ReadOptions.defaults()));
        assertEquals(
                "--data stocks is a long-format file: its column 'symbol' names 5 series [MSFT, AMZN, IBM, GOOG, AAPL];"
                        + " pick one with --symbol, e.g. --symbol MSFT",
                e.getMessage());
    }

    @Test
    void aSymbolPicksItsRows() throws Exception {
        DataSource.SeriesInput amzn = DataSource.series(
                "stocks", List.of("price"), ReadOptions.defaults().withSymbol("AMZN"));
        assertEquals(123, amzn.series().length());
        assertEquals(64.56, amzn.series().column("price")[0], 1e-12);
        assertEquals("price", DataSource.defaultColumn("stocks", ReadOptions.defaults(), "Close"));
    }

    @Test
    void aKeyColumnByAnotherNameWithSemicolonsAndDayFirstDates() throws Exception {
        Path f = tmp.resolve("long.csv");
        Files.writeString(f, "ticker;date;close\nA;01.02.2020;1\nB;01.02.2020;5\nA;02.02.2020;2\n");
        ReadOptions read = new ReadOptions("A", "ticker", org.rnn4j.data.csv.GapPolicy.REFUSE, ';', "dd.MM.yyyy");
        DataSource.SeriesInput a = DataSource.series(f.toString(), List.of("close"), read);
        assertEquals(
                List.of(1.0, 2.0),
                java.util.Arrays.stream(a.series().column("close")).boxed().toList());
        assertEquals(java.time.LocalDate.of(2020, 2, 2), a.series().dates().get(1));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DataSource.series(f.toString(), List.of("close"), read.withSymbol(null)));
        assertTrue(e.getMessage().contains("its column 'ticker' names 2 series [A, B]"), e.getMessage());
    }

    @Test
    void withoutTheDefaultColumnTheErrorListsTheHeader() throws Exception {
        Path f = tmp.resolve("wide.csv");
        Files.writeString(f, "date,a,b\n2020-01-01,1,2\n");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DataSource.defaultColumn(f.toString(), ReadOptions.defaults(), "Close"));
        assertTrue(
                e.getMessage()
                        .endsWith("has no column 'Close'; name the column to forecast with --target, one of"
                                + " [date, a, b]"),
                e.getMessage());
        Path one = tmp.resolve("one.csv");
        Files.writeString(one, "date,price\n2020-01-01,1\n");
        assertEquals("price", DataSource.defaultColumn(one.toString(), ReadOptions.defaults(), "Close"));
    }

    @Test
    void aSymbolForOneSeriesIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DataSource.series(
                        "amzn", List.of("price"), ReadOptions.defaults().withSymbol("AMZN")));
        assertTrue(e.getMessage().contains("use --data stocks --symbol AMZN"), e.getMessage());
    }

    @Test
    void readOptionsSurviveJson() {
        ReadOptions r =
                new ReadOptions("AMZN", "ticker", org.rnn4j.data.csv.GapPolicy.FORWARD_FILL, '\t', "dd.MM.yyyy");
        assertEquals(r, ReadOptions.fromJson(r.toJson()));
        assertEquals(ReadOptions.defaults(), ReadOptions.fromJson(null));
    }
}
