package org.rnn4j.data.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.tensor.Tensor;

class BatchPlanTest {

    @Test
    void cutsATensorInPlanOrderWithASmallerLastBatch() {
        Tensor t = Tensor.of(new float[] {0, 0, 1, 10, 2, 20, 3, 30, 4, 40}, 5, 2);
        BatchPlan plan = BatchPlan.of(new int[] {4, 0, 3, 1, 2}, 2);
        assertEquals(3, plan.count());
        List<Tensor> batches = plan.cut(t);
        assertEquals(Tensor.of(new float[] {4, 40, 0, 0}, 2, 2), batches.get(0));
        assertEquals(Tensor.of(new float[] {3, 30, 1, 10}, 2, 2), batches.get(1));
        assertEquals(Tensor.of(new float[] {2, 20}, 1, 2), batches.get(2));
    }

    @Test
    void shuffledPlansFollowTheEpochShuffle() {
        BatchPlan plan = BatchPlan.shuffled(10, 4, 42, 1);
        assertArrayEquals(new EpochShuffle(42).order(10, 1), plan.order());
        assertArrayEquals(new int[] {0, 1, 2, 3}, BatchPlan.sequential(7, 4).rows(0));
        assertArrayEquals(new int[] {4, 5, 6}, BatchPlan.sequential(7, 4).rows(1));
    }

    @Test
    void refusesBadSizesAndRows() {
        assertEquals(
                "batchSize must be > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> BatchPlan.sequential(3, 0))
                        .getMessage());
        assertEquals(
                "batch index must be in [0, 2), got 2",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> BatchPlan.sequential(3, 2).rows(2))
                        .getMessage());
        Tensor small = Tensor.zeros(2, 3);
        assertEquals(
                "batch plan refers to row 2 but the tensor Tensor[2, 3] float32 has 2 rows; "
                        + "build the plan for this tensor's first dimension",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> BatchPlan.sequential(3, 3).take(small, 0))
                        .getMessage());
    }
}
