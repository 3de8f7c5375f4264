package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.data.series.TimeSeries;

class DemoDataTest {

    @Test
    void listsTheDatasetsByName() {
        assertEquals(List.of("sp500", "amzn", "stocks", "kjv"), DemoData.names());
        assertEquals(List.of("sp500", "amzn"), DemoData.names(DemoDataset.Kind.SERIES));
        assertEquals(List.of("kjv"), DemoData.names(DemoDataset.Kind.TEXT));
        assertEquals("close", DemoData.dataset("SP500").defaultColumn());
        assertEquals(
                "unknown demo dataset 'sp600'; known: [sp500, amzn, stocks, kjv]",
                assertThrows(IllegalArgumentException.class, () -> DemoData.dataset("sp600"))
                        .getMessage());
        assertEquals(
                "demo dataset 'kjv' is a text, not a series; series: [sp500, amzn]",
                assertThrows(IllegalArgumentException.class, () -> DemoData.series(DemoData.KJV))
                        .getMessage());
    }

    @Test
    void sp500HoldsTheTradingDaysOf2000To2020() throws IOException {
        TimeSeries s = DemoData.sp500();
        // 5,106 lines = header + 5,105 rows (counted with wc and Python's csv module when the file was added)
        assertEquals(5105, s.length());
        assertEquals(List.of("open", "high", "low", "close", "adjclose", "volume"), s.columns());
        assertEquals(LocalDate.of(2000, 1, 3), s.dates().get(0));
        assertEquals(LocalDate.of(2020, 4, 17), s.dates().get(5104));
        // first and last close as printed in the file
        assertEquals(1455.219971, s.value(0, "close"));
        assertEquals(2874.560059, s.value(5104, "Close"));
        assertEquals(DemoData.dataset(DemoData.SP500).rows(), countDataLines(DemoData.SP500));
    }

    @Test
    void amznIsTheAmazonRowsOfStocks() throws IOException {
        TimeSeries s = DemoData.amzn();
        assertEquals(123, s.length());
        assertEquals(LocalDate.of(2000, 1, 1), s.dates().get(0));
        assertEquals(LocalDate.of(2010, 3, 1), s.dates().get(122));
        assertArrayEquals(new double[] {64.56, 68.87}, new double[] {s.value(0, "price"), s.value(1, "price")});
        assertEquals(560, countDataLines(DemoData.STOCKS));
    }

    @Test
    void kjvIsTheWholeBible() {
        String text = DemoData.kjvText();
        assertTrue(
                text.startsWith("Ge1:1 In the beginning God created the heaven and the earth.\n"),
                text.substring(0, 80));
        assertTrue(text.endsWith("Rev22:21 The grace of our Lord Jesus Christ be with you all. Amen.\n"));
        assertEquals(4_404_412, text.length()); // ASCII, so characters = bytes of the file
        assertEquals(31_102, text.lines().count());
    }

    private static long countDataLines(String name) throws IOException {
        try (InputStream in = DemoData.open(name)) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return text.lines().filter(l -> !l.isBlank()).count() - 1;
        }
    }
}
