package org.rnn4j.api.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A seeded slice of the fuzz run (the long run and its figures are in RELIABILITY.md). */
class SpecFuzzTest {
    private static void check(SpecFuzzer.Result r) {
        assertEquals(
                List.of(),
                r.findings(),
                r.reader() + ": only success or the documented IllegalArgumentException may come out");
        assertTrue(
                r.rejected() > r.inputs() / 4,
                r.reader() + ": the mutations should mostly produce invalid input, got " + r);
    }

    @Test
    void rnn4jSpecReader() {
        check(SpecFuzzer.fuzzSpecs(600, 1));
    }

    @Test
    void kerasJsonReader() {
        check(SpecFuzzer.fuzzKeras(600, 2));
    }

    @Test
    void modelJsonLoader() throws IOException {
        check(SpecFuzzer.fuzzModelJson(400, 3));
    }
}
