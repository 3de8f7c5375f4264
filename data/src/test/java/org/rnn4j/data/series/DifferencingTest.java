package org.rnn4j.data.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DifferencingTest {

    // ---- properties: the inverse undoes the differencing ----

    @Property(tries = 200)
    void absoluteInverseRebuildsThePrices(
            @ForAll("anyPrices") double[] prices, @ForAll @IntRange(min = 1, max = 2) int order) {
        Differencing d = new Differencing(DifferenceKind.ABSOLUTE, order);
        double[] rebuilt = d.invert(Arrays.copyOf(prices, order), d.apply(prices));
        double scale = 1;
        for (double p : prices) {
            scale = Math.max(scale, Math.abs(p));
        }
        assertEquals(prices.length, rebuilt.length);
        for (int i = 0; i < prices.length; i++) {
            assertEquals(prices[i], rebuilt[i], 1e-9 * scale, "index " + i);
        }
    }

    @Property(tries = 200)
    void percentInverseRebuildsThePricesToRelative1e12(
            @ForAll("positivePrices") double[] prices, @ForAll @IntRange(min = 1, max = 2) int order) {
        Differencing d = new Differencing(DifferenceKind.PERCENT, order);
        double[] rebuilt = d.invert(Arrays.copyOf(prices, order), d.apply(prices));
        for (int i = 0; i < prices.length; i++) {
            assertTrue(
                    Math.abs(rebuilt[i] - prices[i]) <= 1e-12 * Math.abs(prices[i]),
                    "index " + i + ": " + rebuilt[i] + " vs " + prices[i]);
        }
    }

    @Property(tries = 200)
    void oneStepWithTheTrueDifferencesGivesTheTruePrices(
            @ForAll("positivePrices") double[] prices, @ForAll @IntRange(min = 1, max = 2) int order) {
        for (DifferenceKind kind : DifferenceKind.values()) {
            Differencing d = new Differencing(kind, order);
            double[] diffs = d.apply(prices);
            double[] rebuilt = d.oneStep(prices, order, diffs);
            for (int i = 0; i < diffs.length; i++) {
                double truth = prices[d.priceIndex(i)];
                assertTrue(Math.abs(rebuilt[i] - truth) <= 1e-12 * Math.abs(truth), kind + " index " + i);
            }
        }
    }

    @Provide
    Arbitrary<double[]> anyPrices() {
        return Arbitraries.doubles()
                .between(-1000, 1000)
                .ofScale(4)
                .array(double[].class)
                .ofMinSize(3)
                .ofMaxSize(60);
    }

    /** Positive prices whose steps change by 1 % to 50 % up or down, so no change is zero. */
    @Provide
    Arbitrary<double[]> positivePrices() {
        Arbitrary<Double> start = Arbitraries.doubles().between(1, 5000);
        Arbitrary<Double> step = Arbitraries.doubles().between(0.01, 0.5);
        Arbitrary<Boolean> up = Arbitraries.of(true, false);
        Arbitrary<List<Double>> changes = Combinators.combine(step, up)
                .as((s, u) -> u ? s : -s)
                .list()
                .ofMinSize(2)
                .ofMaxSize(60);
        return Combinators.combine(start, changes).as((p0, c) -> {
            double[] prices = new double[c.size() + 1];
            prices[0] = p0;
            for (int t = 0; t < c.size(); t++) {
                prices[t + 1] = prices[t] * (1 + c.get(t));
            }
            return prices;
        });
    }

    // ---- hand-computed examples ----

    @Test
    void absoluteOrderOneAndTwoOnAKnownSeries() {
        double[] prices = {1, 3, 6, 10};
        assertArrayEquals(new double[] {2, 3, 4}, Differencing.absolute().apply(prices));
        assertArrayEquals(new double[] {1, 1}, new Differencing(DifferenceKind.ABSOLUTE, 2).apply(prices));
        assertArrayEquals(
                prices, new Differencing(DifferenceKind.ABSOLUTE, 2).invert(new double[] {1, 3}, new double[] {1, 1}));
    }

    @Test
    void percentIsTheRelativeChangeAsAFraction() {
        assertArrayEquals(new double[] {0.1, -0.5}, Differencing.percent().apply(new double[] {100, 110, 55}), 1e-15);
    }

    @Test
    void recursiveForecastAppliesEachPredictionToTheReconstructedPrice() {
        // From 100, +20 % twice: 120 then 144.
        assertArrayEquals(
                new double[] {120, 144},
                Differencing.percent().forecast(new double[] {90, 100}, new double[] {0.2, 0.2}),
                1e-9);
        // Order 2 absolute after 1, 3, 6, 10 (last change 4): changes 5 and 6 give 15 and 21.
        assertArrayEquals(
                new double[] {15, 21},
                new Differencing(DifferenceKind.ABSOLUTE, 2).forecast(new double[] {1, 3, 6, 10}, new double[] {1, 1}),
                1e-12);
    }

    @Test
    void oneStepAppliesEachPredictionToTheTruePreviousPrice() {
        double[] truth = {100, 110, 121};
        // +20 % on the true 100 and on the true 110, not on the reconstructed 120.
        assertArrayEquals(
                new double[] {120, 132}, Differencing.percent().oneStep(truth, 1, new double[] {0.2, 0.2}), 1e-9);
        // Order 2 absolute over 1, 3, 6, 10, 15, predicting "no change of change" for prices 2, 3, 4:
        // price 2 = 3 + (3 - 1) = 5, price 3 = 6 + (6 - 3) = 9, price 4 = 10 + (10 - 6) = 14.
        assertArrayEquals(
                new double[] {5, 9, 14},
                new Differencing(DifferenceKind.ABSOLUTE, 2)
                        .oneStep(new double[] {1, 3, 6, 10, 15}, 2, new double[] {0, 0, 0}),
                1e-12);
    }

    // ---- errors ----

    @Test
    void percentOfANegativePriceNamesItsIndex() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Differencing.percent().apply(new double[] {1, 2, -1, 3}));
        assertEquals(
                "percent differencing needs prices > 0, but the price at index 2 is -1.0; "
                        + "use DifferenceKind.ABSOLUTE for series that reach zero or go negative",
                e.getMessage());
    }

    @Test
    void percentOfAZeroPriceNamesItsIndex() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Differencing.percent().apply(new double[] {0, 2, 3}));
        assertTrue(e.getMessage().contains("the price at index 0 is 0.0"), e.getMessage());
    }

    @Test
    void secondOrderPercentRefusesAZeroChange() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new Differencing(DifferenceKind.PERCENT, 2).apply(new double[] {1, 2, 2, 3}));
        assertEquals(
                "percent differencing of order 2 divides by the order-1 difference at index 1, which is 0 "
                        + "(no change between two steps); use a lower order or DifferenceKind.ABSOLUTE",
                e.getMessage());
    }

    @Test
    void percentForecastRefusesANonPositiveLastPrice() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Differencing.percent().forecast(new double[] {5, -2}, new double[] {0.1}));
        assertTrue(e.getMessage().contains("last known price (index 1) is -2.0"), e.getMessage());
    }

    @Test
    void badOrdersLengthsAndValuesAreRefused() {
        assertEquals(
                "differencing.order must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new Differencing(DifferenceKind.ABSOLUTE, 0))
                        .getMessage());
        assertEquals(
                "differencing of order 2 needs more than 2 values, got 2; use a longer series or a lower order",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new Differencing(DifferenceKind.ABSOLUTE, 2).apply(new double[] {1, 2}))
                        .getMessage());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> Differencing.absolute().apply(new double[] {1, Double.NaN, 2}))
                .getMessage()
                .startsWith("price at index 1 is NaN"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> Differencing.absolute().oneStep(new double[] {1, 2}, 1, new double[] {1, 1, 1}))
                .getMessage()
                .contains("needs true prices up to index 2, but only 2 were given"));
    }

    @Test
    void savesAndLoadsAsJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Differencing d = new Differencing(DifferenceKind.PERCENT, 2);
        String text = json.writeValueAsString(d);
        assertEquals("{\"kind\":\"percent\",\"order\":2}", text);
        assertEquals(d, json.readValue(text, Differencing.class));
    }
}
