package org.rnn4j.h5.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.input.InputCap;

/**
 * A seeded slice of the HDF5 and zip fuzz run (the long run and its figures are in
 * RELIABILITY.md). Seed 1's HDF5 slice holds input #841, the group that contains itself which the
 * first long run found.
 */
class KerasFileFuzzTest {
    @BeforeEach
    void shortTimeLimit() {
        // A loop that escapes every other guard still ends fast, and shows up as a slow input.
        System.setProperty(InputCap.READ_SECONDS.property(), "3");
    }

    @AfterEach
    void clear() {
        System.clearProperty(InputCap.READ_SECONDS.property());
    }

    private static void check(KerasFileFuzzer.Result r) {
        assertEquals(List.of(), r.findings(), r.reader() + ": only success or the documented exceptions, fast");
        assertTrue(
                r.rejected() > r.inputs() / 4, r.reader() + ": the mutations should mostly break the file, got " + r);
    }

    @Test
    void hdf5Reader() throws IOException {
        check(KerasFileFuzzer.fuzzHdf5(1000, 1));
    }

    @Test
    void kerasZipReader() throws IOException {
        check(KerasFileFuzzer.fuzzZip(500, 2));
    }
}
