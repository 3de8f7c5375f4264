package org.rnn4j.backend.tf;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_AllocateTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Dim;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_FLOAT;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_INT32;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NumDims;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorType;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.rnn4j.api.tensor.DType;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Copies between api tensors (Java arrays) and TensorFlow tensors (native memory). */
final class TfTensors {
    private TfTensors() {}

    /** C tensors made by {@link #toNative} or {@link #received} and not yet deleted (tests look for leaks with it). */
    private static final java.util.concurrent.atomic.AtomicLong LIVE_NATIVE =
            new java.util.concurrent.atomic.AtomicLong();

    /** How many C tensors this class has handed out and not yet deleted. */
    static long liveNative() {
        return LIVE_NATIVE.get();
    }

    /** Counts {@code n}, a C tensor a native run handed out, as live until {@link #delete}. */
    static TF_Tensor received(TF_Tensor n) {
        LIVE_NATIVE.incrementAndGet();
        return n;
    }

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

    /**
     * A new C tensor holding {@code t}'s values, owned by no Java object: the caller deletes it
     * ({@link #delete}) or hands it to whoever will.
     */
    static TF_Tensor toNative(org.rnn4j.api.tensor.Tensor t) {
        int[] shape = t.shape();
        long[] dims = new long[shape.length];
        for (int k = 0; k < shape.length; k++) {
            dims[k] = shape[k];
        }
        boolean ints = t.dtype() == DType.INT32;
        int size = t.size();
        TF_Tensor n = TF_AllocateTensor(ints ? TF_INT32 : TF_FLOAT, dims, dims.length, 4L * size);
        if (n == null || n.isNull()) {
            throw new OutOfMemoryError("TensorFlow could not allocate a tensor of " + size + " values");
        }
        LIVE_NATIVE.incrementAndGet();
        if (size > 0) {
            if (ints) {
                new IntPointer(TF_TensorData(n)).put(t.intView(), 0, size);
            } else {
                new FloatPointer(TF_TensorData(n)).put(t.floatView(), 0, size);
            }
        }
        return n;
    }

    /** A Java copy of a C tensor (which stays the caller's). */
    static org.rnn4j.api.tensor.Tensor fromNative(TF_Tensor n) {
        int rank = TF_NumDims(n);
        int[] shape = new int[rank];
        int size = 1;
        for (int k = 0; k < rank; k++) {
            shape[k] = Math.toIntExact(TF_Dim(n, k));
            size = Math.multiplyExact(size, shape[k]);
        }
        int type = TF_TensorType(n);
        if (type == TF_FLOAT) {
            float[] data = new float[size];
            if (size > 0) {
                new FloatPointer(TF_TensorData(n)).get(data, 0, size);
            }
            return org.rnn4j.api.tensor.Tensor.wrap(data, shape);
        }
        if (type == TF_INT32) {
            int[] data = new int[size];
            if (size > 0) {
                new IntPointer(TF_TensorData(n)).get(data, 0, size);
            }
            return org.rnn4j.api.tensor.Tensor.wrapInts(data, shape);
        }
        throw new IllegalStateException("rnn4j graphs only produce float32 and int32 values, got TF_DataType " + type);
    }

    /** Frees a C tensor made by {@link #toNative} or handed out by a native run; null is ignored. */
    static void delete(TF_Tensor n) {
        if (n != null) {
            TF_DeleteTensor(n);
            LIVE_NATIVE.decrementAndGet();
        }
    }

    private static Shape shape(int[] dims) {
        long[] s = new long[dims.length];
        for (int k = 0; k < dims.length; k++) {
            s[k] = dims[k];
        }
        return Shape.of(s);
    }
}
