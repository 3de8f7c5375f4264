package org.rnn4j.data.text;

import java.util.Arrays;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;

/** One-hot encoding of int32 ids: {@code [d0, ..., dk]} int32 to {@code [d0, ..., dk, depth]} float32. */
public final class OneHot {
    private OneHot() {}

    /**
     * A float32 tensor with one extra last axis of {@code depth}, holding 1 at each id and 0 elsewhere.
     *
     * @param ids   int32 ids, each in {@code [0, depth)}
     * @param depth the vocabulary size
     */
    public static Tensor encode(Tensor ids, int depth) {
        if (ids.dtype() != DType.INT32) {
            throw new IllegalArgumentException("one-hot encoding needs int32 ids, got " + ids);
        }
        if (depth <= 0) {
            throw new IllegalArgumentException("one-hot depth must be > 0, got " + depth);
        }
        int[] data = ids.intView();
        float[] out = new float[Math.multiplyExact(data.length, depth)];
        for (int i = 0; i < data.length; i++) {
            if (data[i] < 0 || data[i] >= depth) {
                throw new IllegalArgumentException("id " + data[i] + " at flat position " + i
                        + " is outside the one-hot depth [0, " + depth + ")");
            }
            out[i * depth + data[i]] = 1f;
        }
        int[] shape = Arrays.copyOf(ids.shape(), ids.rank() + 1);
        shape[ids.rank()] = depth;
        return Tensor.wrap(out, shape);
    }
}
