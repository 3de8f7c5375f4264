package org.rnn4j.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnn4j.api.tensor.Tensor;

class SampleBlockTest {
    // Samples 0..5, sample i = [10i, 10i+1], target i.
    static final Tensor X = Tensor.wrap(new float[] {0, 1, 10, 11, 20, 21, 30, 31, 40, 41, 50, 51}, 6, 2);
    static final Tensor Y = Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5}, 6, 1);

    @Test
    void aBlockFindsItsShareOfAGlobalBatchInBatchOrder() {
        SampleBlock block = SampleBlock.of(X, Y, 2, 5); // samples 2, 3, 4
        int[] batch = {5, 3, 0, 2, 4};
        int[] positions = block.positionsIn(batch);
        assertArrayEquals(new int[] {1, 3, 4}, positions, "positions of samples 3, 2, 4 in the batch");
        assertArrayEquals(
                new float[] {30, 31, 20, 21, 40, 41}, block.x(batch, positions).floatView());
        assertArrayEquals(new int[] {3, 2}, block.x(batch, positions).shape());
        assertArrayEquals(new float[] {3, 2, 4}, block.y(batch, positions).floatView());
        assertEquals(0, block.positionsIn(new int[] {0, 1, 5}).length);
    }

    @Test
    void sharesMergeIntoTheWeightedSumAndKeepTheirPositions() {
        StepPart a = StepPart.empty();
        a.gradient = new double[] {1, 2};
        a.lossSum = 3;
        a.count = 2;
        a.positions = new int[] {0, 2};
        a.outputs = new float[] {7, 8};
        StepPart b = StepPart.empty();
        b.gradient = new double[] {10, 20};
        b.lossSum = 5;
        b.count = 1;
        b.positions = new int[] {1};
        b.outputs = new float[] {9};
        StepPart sum = StepPart.empty().merge(a).merge(b);
        assertArrayEquals(new double[] {11, 22}, sum.gradient);
        assertEquals(8, sum.lossSum);
        assertEquals(3, sum.count);
        assertArrayEquals(new int[] {0, 2, 1}, sum.positions);
        assertArrayEquals(new float[] {7, 8, 9}, sum.outputs);
        assertArrayEquals(new double[] {1, 2}, a.gradient, "merging into an empty part copies, never aliases");
    }

    @Test
    void chunksCoverTheGradientExactlyOnce() {
        for (int n : new int[] {1, 7, 131, 30651}) {
            for (int w = 1; w <= 5; w++) {
                assertEquals(0, BlockManagerAllReduce.chunkStart(n, w, 0));
                assertEquals(n, BlockManagerAllReduce.chunkStart(n, w, w));
                for (int j = 0; j < w; j++) {
                    assertEquals(
                            true,
                            BlockManagerAllReduce.chunkStart(n, w, j) <= BlockManagerAllReduce.chunkStart(n, w, j + 1));
                }
            }
        }
    }
}
