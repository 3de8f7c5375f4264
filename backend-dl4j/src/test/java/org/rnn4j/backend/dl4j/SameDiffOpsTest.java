package org.rnn4j.backend.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rnn4j.api.tensor.DType;

/** Each op SameDiff needs a workaround for, checked against hand-computed numbers. */
class SameDiffOpsTest {
    private final SameDiff sd = SameDiff.create();
    private final SameDiffOps ops = new SameDiffOps(sd, true);

    private static INDArray f(float[] data, long... shape) {
        return Nd4j.create(data, shape, 'c');
    }

    private INDArray run(SDVariable out, Map<String, INDArray> feed) {
        return sd.output(feed, out.name()).get(out.name());
    }

    private static float[] seq(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    @Test
    void sliceKeepsRankWithUnknownBatch() {
        SDVariable x = ops.placeholder("x", DType.FLOAT32, -1, 3, 2);
        SDVariable s = ops.slice(x, 1, 1, 2);
        assertArrayEquals(new long[] {-1, 2, 2}, ops.shapeOf(s));
        INDArray out = run(s, Map.of("x", f(seq(12), 2, 3, 2)));
        assertArrayEquals(new long[] {2, 2, 2}, out.shape());
        assertArrayEquals(new float[] {3, 4, 5, 6, 9, 10, 11, 12}, out.reshape(8).toFloatVector());
    }

    @Test
    void broadcastsBatchTimeFeaturesTimesBatchOneFeatures() {
        SDVariable x = ops.placeholder("x", DType.FLOAT32, -1, 2, 3);
        SDVariable m = ops.placeholder("m", DType.FLOAT32, -1, 1, 3);
        SDVariable y = ops.mul(x, m);
        INDArray out = run(y, Map.of("x", f(seq(12), 2, 2, 3), "m", f(new float[] {1, 0, 2, 0, 1, 0}, 2, 1, 3)));
        assertArrayEquals(new float[] {1, 0, 6, 4, 0, 12, 0, 8, 0, 0, 11, 0}, out.reshape(12).toFloatVector());
    }

    @Test
    void broadcastsMatrixPlusVectorWithGradients() {
        SDVariable x = ops.placeholder("x", DType.FLOAT32, -1, 3);
        SDVariable b = ops.weight("b", 3);
        b.setArray(f(new float[] {10, 20, 30}, 3));
        SDVariable loss = ops.meanAll(ops.square(ops.add(x, b)));
        sd.setLossVariables(loss);
        INDArray out = run(ops.add(x, b), Map.of("x", f(seq(6), 2, 3)));
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, out.reshape(6).toFloatVector());
        INDArray g = sd.calculateGradients(Map.of("x", f(seq(6), 2, 3)), "b").get("b");
        // d/db mean((x+b)^2) = 2*(sum over rows of (x+b))/6
        assertArrayEquals(new float[] {2 * 25 / 6f, 2 * 47 / 6f, 2 * 69 / 6f}, g.toFloatVector(), 1e-5f);
    }

    @Test
    void gatherAndItsGradientAccumulateRepeatedIds() {
        SDVariable ids = ops.placeholder("ids", DType.INT32, -1, 3);
        SDVariable table = ops.weight("table", 4, 2);
        table.setArray(f(seq(8), 4, 2));
        SDVariable y = ops.gather(table, ids);
        assertArrayEquals(new long[] {-1, 3, 2}, ops.shapeOf(y));
        sd.setLossVariables(ops.sum(ops.sum(ops.sum(y, -1, false), -1, false), 0, false));
        INDArray idArr = Nd4j.create(new int[] {1, 1, 3}, new long[] {1, 3}, DataType.INT);
        assertArrayEquals(new float[] {3, 4, 3, 4, 7, 8}, run(y, Map.of("ids", idArr)).reshape(6).toFloatVector());
        INDArray g = sd.calculateGradients(Map.of("ids", idArr), "table").get("table");
        assertArrayEquals(new float[] {0, 0, 2, 2, 0, 0, 1, 1}, g.reshape(8).toFloatVector());
    }

    @Test
    void plainGatherMatchesOneHotGather() {
        SameDiff sd2 = SameDiff.create();
        SameDiffOps plain = new SameDiffOps(sd2, false);
        SDVariable ids = plain.placeholder("ids", DType.INT32, -1, 3);
        SDVariable table = plain.weight("table", 4, 2);
        table.setArray(f(new float[] {0.1f, -0.2f, 0.3f, 1e-7f, 5, 6, 7, 8}, 4, 2));
        SDVariable y = plain.gather(table, ids);
        INDArray idArr = Nd4j.create(new int[] {1, 0, 3}, new long[] {1, 3}, DataType.INT);
        float[] viaGather = sd2.output(Map.of("ids", idArr), y.name()).get(y.name()).reshape(6).toFloatVector();
        SDVariable ids1 = ops.placeholder("ids", DType.INT32, -1, 3);
        SDVariable table1 = ops.weight("table", 4, 2);
        table1.setArray(table.getArr().dup());
        assertArrayEquals(viaGather, run(ops.gather(table1, ids1), Map.of("ids", idArr)).reshape(6).toFloatVector());
        assertArrayEquals(new float[] {0.3f, 1e-7f, 0.1f, -0.2f, 7, 8}, viaGather);
    }

    @Test
    void oneHotAndNotEqualZeroOfIntIdsAreFloat() {
        SDVariable ids = ops.placeholder("ids", DType.INT32, -1, 3);
        INDArray idArr = Nd4j.create(new int[] {0, 2, 1}, new long[] {1, 3}, DataType.INT);
        INDArray oh = run(ops.oneHot(ids, 3), Map.of("ids", idArr));
        assertEquals(DataType.FLOAT, oh.dataType());
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 1, 0}, oh.reshape(9).toFloatVector());
        INDArray nz = run(ops.notEqualZero(ids), Map.of("ids", idArr));
        assertEquals(DataType.FLOAT, nz.dataType());
        assertArrayEquals(new float[] {0, 1, 1}, nz.reshape(3).toFloatVector());
    }

    @Test
    void reductionsSoftmaxAndStack() {
        SDVariable x = ops.placeholder("x", DType.FLOAT32, -1, 2, 3);
        Map<String, INDArray> feed = Map.of("x", f(seq(6), 1, 2, 3));
        assertArrayEquals(new float[] {6, 15}, run(ops.sum(x, -1, false), feed).reshape(2).toFloatVector());
        INDArray mk = run(ops.mean(x, 1, true), feed);
        assertArrayEquals(new long[] {1, 1, 3}, mk.shape());
        assertArrayEquals(new float[] {2.5f, 3.5f, 4.5f}, mk.reshape(3).toFloatVector());
        INDArray all = run(ops.meanAll(x), feed);
        assertEquals(0, all.rank());
        assertEquals(3.5f, all.getFloat(0));
        INDArray sm = run(ops.softmax(x), feed);
        double e = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(Math.exp(3) / e, sm.getFloat(0, 0, 2), 1e-6);
        SDVariable st = ops.stack(List.of(ops.slice(x, 1, 0, 1), ops.slice(x, 1, 1, 1)), 1);
        assertArrayEquals(new long[] {-1, 2, 1, 3}, ops.shapeOf(st));
        assertArrayEquals(new long[] {1, 2, 1, 3}, run(st, feed).shape());
        SDVariable c = ops.concat(List.of(x, x), 2);
        assertArrayEquals(new long[] {-1, 2, 6}, ops.shapeOf(c));
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, run(c, feed).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all()).toFloatVector());
    }

    @Test
    void clipAndActivations() {
        SDVariable x = ops.placeholder("x", DType.FLOAT32, -1, 4);
        SDVariable clipped = ops.minimum(ops.maximum(x, ops.scalar(0f)), ops.scalar(1f));
        Map<String, INDArray> feed = Map.of("x", f(new float[] {-2, 0.25f, 0.5f, 3}, 1, 4));
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 1}, run(clipped, feed).reshape(4).toFloatVector());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 3}, run(ops.relu(x), feed).reshape(4).toFloatVector());
        float[] sp = run(ops.softplus(x), feed).reshape(4).toFloatVector();
        assertEquals(Math.log1p(Math.exp(-2)), sp[0], 1e-6);
        assertEquals(Math.log1p(Math.exp(3)), sp[3], 1e-6);
        assertArrayEquals(new long[] {-1, 4}, ops.shapeOf(ops.reshape(ops.sigmoid(x), -1, 4)));
    }
}
