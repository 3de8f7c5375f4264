package org.rnn4j.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.tensor.Tensor;

/** Keras's sample_weight rides along the batches of the data contract without changing them. */
class SampleWeightBatchesTest {
    private static final int N = 11;

    /** x = i, y = 10 i, w = i / 100: each batch's rows can be told apart and matched by hand. */
    private static TensorDataset data(boolean weighted) {
        float[] x = new float[N];
        float[] y = new float[N];
        float[] w = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = i;
            y[i] = 10 * i;
            w[i] = i / 100f;
        }
        return weighted
                ? TensorDataset.of(Tensor.wrap(x, N, 1), Tensor.wrap(y, N, 1), Tensor.wrap(w, N))
                : TensorDataset.of(Tensor.wrap(x, N, 1), Tensor.wrap(y, N, 1));
    }

    private static List<Batch> pass(Dataset d, EpochPlan plan) {
        List<Batch> out = new ArrayList<>();
        try (BatchIterator it = d.batches(plan)) {
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }

    @Test
    void weightsAreGatheredWithTheirRowsAndTheOrderIsThatOfUnweightedData() {
        EpochPlan plan = new EpochPlan(3, 7, 4, true);
        List<Batch> plain = pass(data(false), plan);
        List<Batch> weighted = pass(data(true), plan);
        assertEquals(3, weighted.size());
        for (int b = 0; b < plain.size(); b++) {
            assertArrayEquals(plain.get(b).x().floatView(), weighted.get(b).x().floatView(), "batch " + b);
            assertArrayEquals(plain.get(b).y().floatView(), weighted.get(b).y().floatView(), "batch " + b);
            assertNull(plain.get(b).sampleWeight());
            float[] x = weighted.get(b).x().floatView();
            float[] w = weighted.get(b).sampleWeight().floatView();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i] / 100f, w[i], 1e-7, "batch " + b + " row " + i);
            }
        }
        assertTrue(plain.get(0).x().floatView()[0] != 0 || plain.get(0).x().floatView()[1] != 1, "shuffled");
    }

    @Test
    void aValidationSplitGivesEachPartItsShareOfTheWeights() {
        TensorDataset[] parts = data(true).splitLast(0.25);
        assertArrayEquals(
                new float[] {0.08f, 0.09f, 0.10f}, parts[1].sampleWeight().floatView(), 1e-7f);
        assertEquals(8, parts[0].sampleWeight().dim(0)); // floor(11 * 0.75) = 8, as Keras
    }

    @Test
    void badWeightsAreRefusedWithThePosition() {
        Tensor x = Tensor.wrap(new float[] {1, 2}, 2, 1);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> TensorDataset.of(x, x, Tensor.wrap(new float[] {1, -1}, 2)));
        assertEquals("sample_weight holds -1.0 at position 1; weights must be finite and >= 0", e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> TensorDataset.of(x, x, Tensor.wrap(new float[] {1, 1, 1}, 3)));
    }
}
