package org.rnn4j.data.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSeriesTest {

    @Test
    void columnsAreFoundIgnoringCaseAndReturnedAsCopies() {
        double[] close = {1, 2, 3};
        TimeSeries s = TimeSeries.of(List.of("Close", "Volume"), new double[][] {close, {10, 20, 30}}, List.of());
        close[0] = 99; // the series copied the array
        assertArrayEquals(new double[] {1, 2, 3}, s.column("close"));
        s.column("CLOSE")[1] = 99; // and hands out copies
        assertEquals(2, s.value(1, "Close"));
        assertEquals(List.of("Volume"), s.select("volume").columns());
        assertEquals(3, s.length());
    }

    @Test
    void anUnknownColumnListsThePresentOnes() {
        TimeSeries s = TimeSeries.of("price", new double[] {1});
        assertEquals(
                "time series has no column 'close'; columns present: [price]",
                assertThrows(IllegalArgumentException.class, () -> s.column("close"))
                        .getMessage());
    }

    @Test
    void datesMustAscendAndValuesBeFinite() {
        LocalDate d = LocalDate.of(2000, 1, 3);
        assertEquals(
                "time series dates must be strictly ascending, but row 1 (2000-01-03) is not after row 0 (2000-01-03)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TimeSeries.of(List.of("v"), new double[][] {{1, 2}}, List.of(d, d)))
                        .getMessage());
        assertEquals(
                "time series column 'v' has the non-finite value NaN at row 1; remove or fill gaps before building the series",
                assertThrows(IllegalArgumentException.class, () -> TimeSeries.of("v", new double[] {1, Double.NaN}))
                        .getMessage());
    }
}
