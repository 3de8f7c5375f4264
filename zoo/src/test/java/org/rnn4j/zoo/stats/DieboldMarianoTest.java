package org.rnn4j.zoo.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class DieboldMarianoTest {

    /**
     * Worked by hand. Model errors 1, 1, 2, 0; baseline errors 2, 1, 2, 2; squared loss:
     * d = 1-4, 1-1, 4-4, 0-4 = -3, 0, 0, -4; mean -1.75; deviations -1.25, 1.75, 1.75, -2.25;
     * g0 = (1.5625 + 3.0625 + 3.0625 + 5.0625) / 4 = 3.1875;
     * DM = -1.75 / sqrt(3.1875 / 4) = -1.96039...; HLN factor (h = 1) sqrt((4 + 1 - 2) / 4) = sqrt(3/4);
     * DM* = -1.69774...; t with 3 df (A&amp;S 26.7.3): theta = atan(1.69775 / sqrt 3),
     * p = 1 - (2/pi)(theta + sin theta cos theta) = 0.18812.
     */
    @Test
    void tinyCaseByHand() {
        DieboldMariano.Result r = DieboldMariano.test(
                new double[] {1, 1, 2, 0}, new double[] {2, 1, 2, 2}, 1, DieboldMariano.Loss.SQUARED);
        assertEquals(-1.75, r.meanDifference(), 1e-15);
        assertEquals(3.1875, r.variance(), 1e-15);
        assertEquals(-1.75 / Math.sqrt(3.1875 / 4), r.statistic(), 1e-14);
        assertEquals(Math.sqrt(0.75), DieboldMariano.hlnFactor(4, 1), 1e-15);
        assertEquals(-1.75 / Math.sqrt(3.1875 / 4) * Math.sqrt(0.75), r.hlnStatistic(), 1e-14);
        double theta = Math.atan(Math.abs(r.hlnStatistic()) / Math.sqrt(3));
        double p = 1 - 2 / Math.PI * (theta + Math.sin(theta) * Math.cos(theta));
        assertEquals(p, r.pValue(), 1e-13);
        assertEquals(0.18812, r.pValue(), 1e-5);
        assertEquals(LongRunVariance.Kernel.RECTANGULAR, r.kernel());
    }

    /** The same errors with absolute loss: d = -1, 0, 0, -2, mean -0.75, g0 = (0.0625 + 0.5625 * 2 + 1.5625) / 4. */
    @Test
    void tinyCaseAbsoluteLossByHand() {
        DieboldMariano.Result r = DieboldMariano.test(
                new double[] {1, -1, 2, 0}, new double[] {2, 1, -2, 2}, 1, DieboldMariano.Loss.ABSOLUTE);
        assertEquals(-0.75, r.meanDifference(), 1e-15);
        assertEquals(0.6875, r.variance(), 1e-15);
        assertEquals(-0.75 / Math.sqrt(0.6875 / 4), r.statistic(), 1e-14);
    }

    /** HLN 1997's factor for n = 10, h = 3: sqrt((10 + 1 - 6 + 6/10) / 10) = sqrt(0.56). */
    @Test
    void hlnFactorForALongerHorizonByHand() {
        assertEquals(Math.sqrt(0.56), DieboldMariano.hlnFactor(10, 3), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DieboldMariano.hlnFactor(3, 3));
        assertTrue(e.getMessage().contains("needs more forecasts for horizon 3"), e.getMessage());
    }

    @Test
    void matchesThePythonReference() {
        int checked = 0;
        for (JsonNode c : Reference.get().get("dieboldMariano")) {
            DieboldMariano.Result r = DieboldMariano.test(
                    Reference.doubles(c.get("model")),
                    Reference.doubles(c.get("baseline")),
                    c.get("horizon").asInt(),
                    DieboldMariano.Loss.valueOf(c.get("loss").asText().toUpperCase(java.util.Locale.ROOT)));
            JsonNode e = c.get("expected");
            String name = c.get("name").asText();
            assertEquals(e.get("meanDifference").asDouble(), r.meanDifference(), 1e-12, name);
            assertEquals(e.get("variance").asDouble(), r.variance(), 1e-10, name);
            assertEquals(e.get("kernel").asText(), r.kernel().jsonName(), name);
            assertEquals(e.get("statistic").asDouble(), r.statistic(), 1e-9, name);
            assertEquals(e.get("hlnStatistic").asDouble(), r.hlnStatistic(), 1e-9, name);
            double p = e.get("pValue").asDouble();
            // The reference's 1 - A loses relative precision for tiny p; 1e-11 absolute covers it.
            assertEquals(p, r.pValue(), Math.max(1e-11, 1e-9 * p), name);
            checked++;
        }
        assertEquals(8, checked);
    }

    @Test
    void aNonPositiveRectangularVarianceFallsBackToBartlett() {
        // d alternates 3, -0.75 around its mean: lag-1 autocovariance ~ -g0, so g0 + 2 g1 < 0 for h = 2.
        double[] d = new double[20];
        for (int t = 0; t < d.length; t++) {
            d[t] = t % 2 == 0 ? 3 : -0.75;
        }
        LongRunVariance.Estimate v = LongRunVariance.of(d, 2);
        assertEquals(LongRunVariance.Kernel.BARTLETT, v.kernel());
        // mean 1.125, g0 = 1.875^2 = 3.515625, g1 = -(19/20) g0; Bartlett: g0 + 2 (1/2) g1 = g0 / 20.
        assertEquals(3.515625 / 20, v.variance(), 1e-12);
        assertEquals(
                LongRunVariance.Kernel.RECTANGULAR, LongRunVariance.of(d, 1).kernel());
    }

    @Test
    void identicalForecastsGiveNoEvidenceAndConstantDifferencesCertainty() {
        double[] e = {0.5, -1, 2, 0.25, -0.3};
        DieboldMariano.Result same = DieboldMariano.test(e, e, 1, DieboldMariano.Loss.SQUARED);
        assertEquals(0.0, same.statistic());
        assertEquals(1.0, same.pValue());
        double[] shifted = {1, 1, 1, 1, 1};
        double[] zero = {0, 0, 0, 0, 0};
        DieboldMariano.Result worse = DieboldMariano.test(shifted, zero, 1, DieboldMariano.Loss.ABSOLUTE);
        assertEquals(Double.POSITIVE_INFINITY, worse.statistic());
        assertEquals(0.0, worse.pValue());
    }

    @Test
    void mismatchedLengthsAreRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DieboldMariano.test(new double[3], new double[4], 1, DieboldMariano.Loss.SQUARED));
        assertTrue(e.getMessage().contains("3 model errors and 4 baseline errors"), e.getMessage());
    }
}
