package org.rnn4j.data.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ScalerTest {
    private final ObjectMapper json = new ObjectMapper();

    @Property(tries = 200)
    void minMaxInverseUndoesTransform(@ForAll("trainingValues") double[] train, @ForAll("anyValue") double v) {
        MinMaxScaler s = MinMaxScaler.fit(train, -1, 1);
        double back = s.inverse(s.transform(v));
        assertEquals(v, back, 1e-12 * Math.max(1, Math.abs(v) + Math.abs(s.dataMin()) + Math.abs(s.dataMax())));
    }

    @Property(tries = 200)
    void standardInverseUndoesTransform(@ForAll("trainingValues") double[] train, @ForAll("anyValue") double v) {
        StandardScaler s = StandardScaler.fit(train);
        double back = s.inverse(s.transform(v));
        assertEquals(v, back, 1e-12 * Math.max(1, Math.abs(v) + Math.abs(s.mean())));
    }

    @Property(tries = 200)
    void minMaxMapsTheTrainingRangeOntoTheTargetRange(@ForAll("trainingValues") double[] train) {
        MinMaxScaler s = MinMaxScaler.fit(train);
        double[] scaled = s.transform(train);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : scaled) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0, min, 1e-12);
        assertEquals(1, max, 1e-12);
    }

    @Provide
    Arbitrary<double[]> trainingValues() {
        return Arbitraries.doubles()
                .between(-1e4, 1e4)
                .ofScale(3)
                .array(double[].class)
                .ofMinSize(2)
                .ofMaxSize(40)
                .filter(a -> a[0] != a[1]);
    }

    @Provide
    Arbitrary<Double> anyValue() {
        return Arbitraries.doubles().between(-1e5, 1e5);
    }

    @Test
    void minMaxNumbersByHand() {
        MinMaxScaler s = MinMaxScaler.fit(new double[] {10, 20, 30});
        assertEquals(new MinMaxScaler(10, 30, 0, 1), s);
        assertEquals(0.25, s.transform(15), 1e-15);
        // A value beyond the training range maps beyond the target range: no clipping.
        assertEquals(1.5, s.transform(40), 1e-15);
        MinMaxScaler symmetric = MinMaxScaler.fit(new double[] {10, 30}, -1, 1);
        assertEquals(0, symmetric.transform(20), 1e-15);
        assertEquals(30, symmetric.inverse(1), 1e-12);
    }

    @Test
    void standardUsesThePopulationDeviation() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population variance 4, std 2.
        StandardScaler s = StandardScaler.fit(new double[] {2, 4, 4, 4, 5, 5, 7, 9});
        assertEquals(5, s.mean(), 1e-15);
        assertEquals(2, s.std(), 1e-15);
        assertEquals(-1.5, s.transform(2), 1e-15);
    }

    @Test
    void fittedOnTheTrainingSplitOnly() {
        double[] series = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        SplitBoundaries split = new ChronologicalSplit(0.5, 0.2, 0.3).boundaries(series.length);
        MinMaxScaler s = MinMaxScaler.fit(split.train(series));
        assertEquals(new MinMaxScaler(1, 5, 0, 1), s);
        // The test rows lie above the training range, so they scale above 1.
        assertEquals(2.25, s.transform(split.test(series))[2], 1e-15);
    }

    @Test
    void savesAndLoadsAsTypedJson() throws Exception {
        Scaler minMax = new MinMaxScaler(1.5, 9.25, -1, 1);
        String text = json.writeValueAsString(minMax);
        assertEquals(
                "{\"type\":\"min_max\",\"dataMin\":1.5,\"dataMax\":9.25,\"rangeMin\":-1.0,\"rangeMax\":1.0}", text);
        assertEquals(minMax, json.readValue(text, Scaler.class));

        Scaler standard = StandardScaler.fit(new double[] {0.1, 0.7, 0.3, 1e-9});
        Scaler back = json.readValue(json.writeValueAsString(standard), Scaler.class);
        assertInstanceOf(StandardScaler.class, back);
        assertEquals(standard, back); // doubles survive JSON exactly
    }

    @Test
    void jsonWithAnUnknownTypeOrFieldIsRefused() {
        InvalidTypeIdException type = assertThrows(
                InvalidTypeIdException.class, () -> json.readValue("{\"type\":\"robust\",\"mean\":1}", Scaler.class));
        assertTrue(
                type.getMessage().contains("robust")
                        && type.getMessage().contains("min_max")
                        && type.getMessage().contains("standard"),
                type.getMessage());
        assertThrows(
                UnrecognizedPropertyException.class,
                () -> json.readValue("{\"type\":\"standard\",\"mean\":1,\"std\":2,\"ddof\":1}", Scaler.class));
    }

    @Test
    void degenerateTrainingDataIsRefused() {
        assertEquals(
                "min_max scaler cannot be fitted: all 3 training values are 4.0 (zero range); "
                        + "use StandardScaler or a longer training split",
                assertThrows(IllegalArgumentException.class, () -> MinMaxScaler.fit(new double[] {4, 4, 4}))
                        .getMessage());
        assertEquals(
                "standard scaler cannot be fitted on an empty training split; give the split a larger train fraction",
                assertThrows(IllegalArgumentException.class, () -> StandardScaler.fit(new double[0]))
                        .getMessage());
        assertEquals(
                "standard scaler training value at index 1 is NaN; fill or drop gaps before fitting",
                assertThrows(IllegalArgumentException.class, () -> StandardScaler.fit(new double[] {1, Double.NaN}))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StandardScaler(0, 0))
                .getMessage()
                .startsWith("standard.std must be finite and > 0, got 0.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MinMaxScaler.fit(new double[] {1, 2}, 1, 1))
                .getMessage()
                .startsWith("min_max.rangeMax must be finite and > rangeMin"));
    }
}
