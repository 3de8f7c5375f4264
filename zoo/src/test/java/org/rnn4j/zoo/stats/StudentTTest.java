package org.rnn4j.zoo.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class StudentTTest {

    @Test
    void closedFormsByHand() {
        // df = 1 is Cauchy: P(|T| >= t) = 1 - (2/pi) atan(t); at t = 1 exactly 1/2.
        assertEquals(0.5, StudentT.twoSidedP(1, 1), 1e-14);
        assertEquals(0.75, StudentT.cdf(1, 1), 1e-14);
        // df = 2: P(|T| >= t) = 1 - t / sqrt(2 + t^2); t = 2: 1 - 2/sqrt(6) = 0.18350341907227397.
        assertEquals(1 - 2 / Math.sqrt(6), StudentT.twoSidedP(2, 2), 1e-14);
        assertEquals(1.0, StudentT.twoSidedP(0, 7), 1e-15);
        assertEquals(0.5, StudentT.cdf(0, 7), 1e-15);
        assertEquals(0.0, StudentT.twoSidedP(Double.POSITIVE_INFINITY, 3));
    }

    @Test
    void matchesTheAbramowitzStegunSeriesOfThePythonReference() {
        int checked = 0;
        for (JsonNode c : Reference.get().get("studentT")) {
            double t = c.get("t").asDouble();
            double df = c.get("df").asDouble();
            assertEquals(c.get("cdf").asDouble(), StudentT.cdf(t, df), 1e-12, () -> "cdf " + c);
            assertEquals(c.get("twoSidedP").asDouble(), StudentT.twoSidedP(t, df), 1e-12, () -> "p " + c);
            checked++;
        }
        assertEquals(72, checked);
    }

    @Test
    void largeDegreesOfFreedomApproachTheNormal() {
        // P(|Z| >= 1.959963984540054) = 0.05 for the standard normal.
        double p = StudentT.twoSidedP(1.959963984540054, 1e6);
        assertTrue(Math.abs(p - 0.05) < 1e-5, "p = " + p);
    }

    @Test
    void lnGammaAtKnownPoints() {
        assertEquals(0.0, StudentT.lnGamma(1), 1e-14);
        assertEquals(0.0, StudentT.lnGamma(2), 1e-14);
        assertEquals(Math.log(Math.sqrt(Math.PI)), StudentT.lnGamma(0.5), 1e-14);
        assertEquals(Math.log(362880), StudentT.lnGamma(10), 1e-12); // 9!
    }

    @Test
    void rejectsBadDegreesOfFreedom() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudentT.cdf(1, 0));
        assertTrue(e.getMessage().contains("degrees of freedom > 0"), e.getMessage());
    }
}
