package org.rnn4j.api.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;

/** Keras's class_weight_to_sample_weights by hand, and the fit block's class_weight. */
class SampleWeightsTest {
    private static final Map<Integer, Double> WEIGHTS = Map.of(0, 2.0, 2, 0.25);

    @Test
    void classIdsOneHotRowsAndBinaryTargets() {
        assertArrayEquals(
                new float[] {2, 0.25f, 1, 2},
                SampleWeights.fromClassWeight(Tensor.wrapInts(new int[] {0, 2, 1, 0}, 4), WEIGHTS)
                        .floatView(),
                "class ids; class 1 is not listed: weight 1");
        assertArrayEquals(
                new float[] {0.25f, 2},
                SampleWeights.fromClassWeight(
                                Tensor.wrap(new float[] {0.1f, 0.2f, 0.7f, 0.6f, 0.3f, 0.1f}, 2, 3), WEIGHTS)
                        .floatView(),
                "one-hot (or probability) rows: their argmax");
        assertArrayEquals(
                new float[] {1, 2},
                SampleWeights.fromClassWeight(Tensor.wrap(new float[] {0.8f, 0.2f}, 2, 1), WEIGHTS)
                        .floatView(),
                "a single binary target is rounded");
        IllegalArgumentException perStep = assertThrows(
                IllegalArgumentException.class, () -> SampleWeights.fromClassWeight(Tensor.zeros(2, 4, 3), WEIGHTS));
        assertTrue(perStep.getMessage().contains("give sample_weight [n, time]"), perStep.getMessage());
    }

    @Test
    void classWeightRoundTripsInTheSpecAndIsChecked() {
        ModelSpec spec = Sequential.builder()
                .input(2)
                .add(Layers.dense(3))
                .fit(FitOptions.defaults().withClassWeight(WEIGHTS))
                .build();
        assertEquals(spec, SpecJson.read(SpecJson.write(spec)));
        assertTrue(SpecJson.write(spec).contains("\"class_weight\""));
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> SpecJson.readFitOptions(SpecJson.parse("{\"class_weight\": {\"cat\": 2}}", "fit"), "$.fit"));
        assertEquals(
                "$.fit.class_weight.cat: class_weight keys are class ids (\"0\", \"1\", ...), got 'cat'",
                e.getMessage());
        var negative = assertThrows(
                IllegalArgumentException.class, () -> FitOptions.defaults().withClassWeight(Map.of(1, -1.0)));
        assertTrue(negative.getMessage().contains("must be a finite number >= 0"), negative.getMessage());
    }
}
