package org.rnn4j.spark.train;

import java.io.Serializable;
import java.util.Arrays;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.IndexedDataset;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;

/**
 * The samples one partition holds: global sample indices {@code [first, first + count)}, inputs and
 * targets as flat arrays (floats, or int token ids) with the shape of one sample. Cached on the
 * executors for the whole run (BigDL's rule: the training data must fit in the executors' memory);
 * Spark rebuilds a lost block from its lineage, with the same content.
 *
 * <p>A block is one more batch source of the api's contract: an {@link IndexedDataset} of its
 * {@link #count()} samples (local indices {@code 0 .. count-1}, global {@code first + i}), which is
 * how the executors take their share of a global batch.
 */
public final class SampleBlock implements IndexedDataset, Serializable {
    private static final long serialVersionUID = 1L;

    private final int first;
    private final int count;
    private final float[] xFloats;
    private final int[] xInts;
    private final int[] xSample;
    private final float[] yFloats;
    private final int[] yInts;
    private final int[] ySample;

    private SampleBlock(
            int first,
            int count,
            float[] xFloats,
            int[] xInts,
            int[] xSample,
            float[] yFloats,
            int[] yInts,
            int[] ySample) {
        this.first = first;
        this.count = count;
        this.xFloats = xFloats;
        this.xInts = xInts;
        this.xSample = xSample;
        this.yFloats = yFloats;
        this.yInts = yInts;
        this.ySample = ySample;
    }

    /** Rows {@code [from, to)} of {@code x} and {@code y}, which keep their global indices. */
    public static SampleBlock of(Tensor x, Tensor y, int from, int to) {
        Tensor xs = x.sliceRows(from, to);
        Tensor ys = y.sliceRows(from, to);
        return new SampleBlock(
                from,
                to - from,
                xs.dtype() == DType.INT32 ? null : xs.floatView().clone(),
                xs.dtype() == DType.INT32 ? xs.intView().clone() : null,
                Arrays.copyOfRange(x.shape(), 1, x.rank()),
                ys.dtype() == DType.INT32 ? null : ys.floatView().clone(),
                ys.dtype() == DType.INT32 ? ys.intView().clone() : null,
                Arrays.copyOfRange(y.shape(), 1, y.rank()));
    }

    /** A block of samples that arrive with their own global indices {@code first ..}. */
    public static SampleBlock of(int first, Tensor x, Tensor y) {
        SampleBlock b = of(x, y, 0, x.dim(0));
        return new SampleBlock(first, b.count, b.xFloats, b.xInts, b.xSample, b.yFloats, b.yInts, b.ySample);
    }

    public int first() {
        return first;
    }

    @Override
    public int count() {
        return count;
    }

    /** The samples at local {@code indices}, in that order. */
    @Override
    public Batch batch(int[] indices) {
        int[] global = new int[indices.length];
        int[] positions = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= count) {
                throw new IndexOutOfBoundsException("sample " + indices[i] + " outside the block's " + count);
            }
            global[i] = first + indices[i];
            positions[i] = i;
        }
        return new Batch(x(global, positions), y(global, positions));
    }

    /** This block's samples of a global batch, in batch order: their local indices. */
    int[] localIndices(int[] batch, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = batch[positions[i]] - first;
        }
        return out;
    }

    /** The positions (within {@code batch}) of the batch's samples that this block holds, in batch order. */
    int[] positionsIn(int[] batch) {
        int[] pos = new int[batch.length];
        int n = 0;
        for (int p = 0; p < batch.length; p++) {
            int i = batch[p] - first;
            if (i >= 0 && i < count) {
                pos[n++] = p;
            }
        }
        return Arrays.copyOf(pos, n);
    }

    /** Inputs of the samples at {@code positions} of {@code batch}, in that order: {@code [n, sample...]}. */
    Tensor x(int[] batch, int[] positions) {
        return gather(xFloats, xInts, xSample, batch, positions);
    }

    Tensor y(int[] batch, int[] positions) {
        return gather(yFloats, yInts, ySample, batch, positions);
    }

    private Tensor gather(float[] floats, int[] ints, int[] sample, int[] batch, int[] positions) {
        int per = Math.toIntExact(Tensor.size(sample));
        int[] shape = new int[sample.length + 1];
        shape[0] = positions.length;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        if (ints != null) {
            int[] out = new int[positions.length * per];
            for (int r = 0; r < positions.length; r++) {
                System.arraycopy(ints, (batch[positions[r]] - first) * per, out, r * per, per);
            }
            return Tensor.wrapInts(out, shape);
        }
        float[] out = new float[positions.length * per];
        for (int r = 0; r < positions.length; r++) {
            System.arraycopy(floats, (batch[positions[r]] - first) * per, out, r * per, per);
        }
        return Tensor.wrap(out, shape);
    }

    /** Time steps of one input sample (1 for a sample without a time axis). */
    int timeSteps() {
        return xSample.length >= 1 ? xSample[0] : 1;
    }
}
