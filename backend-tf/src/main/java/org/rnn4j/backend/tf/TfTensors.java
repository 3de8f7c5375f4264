package org.rnn4j.backend.tf;

import org.rnn4j.api.tensor.DType;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Copies between api tensors (Java arrays) and TensorFlow tensors (native memory). */
final class TfTensors {
    private TfTensors() {}

    /** A new native copy; the caller closes it. */
    static org.tensorflow.Tensor toTf(org.rnn4j.api.tensor.Tensor t) {
        Shape shape = shape(t.shape());
        return t.dtype() == DType.INT32
                ? TInt32.tensorOf(shape, DataBuffers.of(t.intView(), true, false))
                : TFloat32.tensorOf(shape, DataBuffers.of(t.floatView(), true, false));
    }

    /** A new native float copy of {@code data} under {@code shape}; the caller closes it. */
    static TFloat32 toTf(float[] data, int[] shape) {
        return TFloat32.tensorOf(shape(shape), DataBuffers.of(data, true, false));
    }

    /** A Java copy that outlives the native tensor. */
    static org.rnn4j.api.tensor.Tensor toApi(org.tensorflow.Tensor t) {
        long[] dims = t.shape().asArray();
        int[] shape = new int[dims.length];
        for (int k = 0; k < dims.length; k++) {
            shape[k] = Math.toIntExact(dims[k]);
        }
        int size = Math.toIntExact(t.shape().size());
        if (t instanceof TFloat32 f) {
            float[] data = new float[size];
            f.copyTo(DataBuffers.of(data, false, false));
            return org.rnn4j.api.tensor.Tensor.wrap(data, shape);
        }
        if (t instanceof TInt32 i) {
            int[] data = new int[size];
            i.copyTo(DataBuffers.of(data, false, false));
            return org.rnn4j.api.tensor.Tensor.wrapInts(data, shape);
        }
        throw new IllegalStateException("rnn4j graphs only produce float32 and int32 values, got " + t.dataType());
    }

    private static Shape shape(int[] dims) {
        long[] s = new long[dims.length];
        for (int k = 0; k < dims.length; k++) {
            s[k] = dims[k];
        }
        return Shape.of(s);
    }
}
