package org.rnn4j.data.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChronologicalSplitTest {

    @Test
    void cutsInOrderWithoutShuffling() {
        double[] values = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        SplitBoundaries b = new ChronologicalSplit(0.7, 0.2, 0.1).boundaries(values.length);
        assertEquals(new SplitBoundaries(10, 7, 9), b);
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6}, b.train(values));
        assertArrayEquals(new double[] {7, 8}, b.validation(values));
        assertArrayEquals(new double[] {9}, b.test(values));
    }

    @Test
    void roundsDownAndGivesTheRemainderToTest() {
        // 5104 * 0.8 = 4083.2 -> 4083 train; 5104 * 0.9 = 4593.6 -> 4593; test gets 511.
        SplitBoundaries b = new ChronologicalSplit(0.8, 0.1, 0.1).boundaries(5104);
        assertEquals(4083, b.trainSize());
        assertEquals(510, b.validationSize());
        assertEquals(511, b.testSize());
    }

    @Test
    void noTestFractionMeansValidationRunsToTheEnd() {
        SplitBoundaries b = new ChronologicalSplit(0.9, 0.1, 0).boundaries(7);
        assertEquals(new SplitBoundaries(7, 6, 7), b);
    }

    @Test
    void splitsATimeSeriesWithItsDates() {
        TimeSeries s = TimeSeries.of(
                List.of("v"),
                new double[][] {{1, 2, 3, 4}},
                List.of(
                        LocalDate.of(2020, 1, 1),
                        LocalDate.of(2020, 1, 2),
                        LocalDate.of(2020, 1, 3),
                        LocalDate.of(2020, 1, 4)));
        SplitBoundaries b = new ChronologicalSplit(0.5, 0.25, 0.25).boundaries(4);
        assertEquals(List.of(LocalDate.of(2020, 1, 3)), b.validation(s).dates());
        assertArrayEquals(new double[] {4}, b.test(s).column("V"));
    }

    @Test
    void badFractionsAndEmptyTrainingAreRefused() {
        assertEquals(
                "split fractions must sum to 1, got train=0.7 + validation=0.2 + test=0.2 = 1.0999999999999999",
                assertThrows(IllegalArgumentException.class, () -> new ChronologicalSplit(0.7, 0.2, 0.2))
                        .getMessage());
        assertEquals(
                "split.train must be in (0, 1], got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new ChronologicalSplit(0, 0.5, 0.5))
                        .getMessage());
        assertEquals(
                "the training split of 3 rows at fraction 0.2 is empty; use more data or a larger train fraction",
                assertThrows(IllegalArgumentException.class, () -> new ChronologicalSplit(0.2, 0.4, 0.4).boundaries(3))
                        .getMessage());
        assertEquals(
                "split was computed for 4 rows but the array has 3; compute boundaries for this array's length",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new ChronologicalSplit(0.5, 0.5, 0)
                                        .boundaries(4)
                                        .train(new double[3]))
                        .getMessage());
    }
}
