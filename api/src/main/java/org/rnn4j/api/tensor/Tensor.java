package org.rnn4j.api.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable, batch-major, row-major tensor held in Java arrays: {@code float32} data for
 * inputs, outputs and weights, {@code int32} data for token ids. Engines copy from and to it at
 * their boundary, so a {@code Tensor} never owns native memory and outlives every engine scope.
 */
public final class Tensor {
    private final int[] shape;
    private final DType dtype;
    private final float[] floats;
    private final int[] ints;

    private Tensor(int[] shape, DType dtype, float[] floats, int[] ints) {
        this.shape = shape;
        this.dtype = dtype;
        this.floats = floats;
        this.ints = ints;
    }

    /** A float32 tensor; the array is copied. */
    public static Tensor of(float[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(shape.clone(), DType.FLOAT32, data.clone(), null);
    }

    /** A float32 tensor that takes ownership of {@code data} (no copy): the caller must not change it afterwards. */
    public static Tensor wrap(float[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(shape.clone(), DType.FLOAT32, data, null);
    }

    /** An int32 tensor (token ids); the array is copied. */
    public static Tensor ofInts(int[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(shape.clone(), DType.INT32, null, data.clone());
    }

    /** An int32 tensor that takes ownership of {@code data} (no copy). */
    public static Tensor wrapInts(int[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(shape.clone(), DType.INT32, null, data);
    }

    /** A float32 tensor of zeros. */
    public static Tensor zeros(int... shape) {
        return new Tensor(shape.clone(), DType.FLOAT32, new float[Math.toIntExact(size(shape))], null);
    }

    /** The number of elements a shape holds; every dimension must be >= 0. */
    public static long size(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "tensor shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static void checkLength(int length, int[] shape) {
        long expected = size(shape);
        if (expected != length) {
            throw new IllegalArgumentException("tensor data has " + length + " values but shape "
                    + Arrays.toString(shape) + " needs " + expected + "; fix the shape or the data");
        }
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public DType dtype() {
        return dtype;
    }

    public int size() {
        return floats != null ? floats.length : ints.length;
    }

    /** A copy of the float data; throws for int32 tensors. */
    public float[] toFloatArray() {
        return floatView().clone();
    }

    /** A copy of the int data; throws for float32 tensors. */
    public int[] toIntArray() {
        if (ints == null) {
            throw new IllegalStateException("tensor is float32, not int32");
        }
        return ints.clone();
    }

    /**
     * The float data without a copy, for engine adapters and hot loops that only read it.
     * Callers must not modify the array.
     */
    public float[] floatView() {
        if (floats == null) {
            throw new IllegalStateException("tensor is int32, not float32");
        }
        return floats;
    }

    /** The int data without a copy; callers must not modify the array. */
    public int[] intView() {
        if (ints == null) {
            throw new IllegalStateException("tensor is float32, not int32");
        }
        return ints;
    }

    /** Element {@code i} of the flat row-major data as a double (works for both dtypes). */
    public double getDouble(int i) {
        return floats != null ? floats[i] : ints[i];
    }

    /** The same data under another shape with the same element count. */
    public Tensor reshape(int... newShape) {
        checkLength(size(), newShape);
        return new Tensor(newShape.clone(), dtype, floats, ints);
    }

    /**
     * Rows {@code indices} of the first axis, in the given order: how batches are cut from a
     * dataset without the backend ever reordering anything.
     */
    public Tensor gatherRows(int[] indices) {
        int rowSize = shape.length == 0 ? 1 : size() / Math.max(1, shape[0]);
        int[] newShape = shape.clone();
        newShape[0] = indices.length;
        if (floats != null) {
            float[] out = new float[indices.length * rowSize];
            for (int r = 0; r < indices.length; r++) {
                System.arraycopy(floats, indices[r] * rowSize, out, r * rowSize, rowSize);
            }
            return new Tensor(newShape, dtype, out, null);
        }
        int[] out = new int[indices.length * rowSize];
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(ints, indices[r] * rowSize, out, r * rowSize, rowSize);
        }
        return new Tensor(newShape, dtype, null, out);
    }

    /** Rows {@code [from, to)} of the first axis. */
    public Tensor sliceRows(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return gatherRows(idx);
    }

    /** The largest absolute element-wise difference to another tensor of the same shape. */
    public double maxAbsDiff(Tensor other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException(
                    "shapes differ: " + Arrays.toString(shape) + " vs " + Arrays.toString(other.shape));
        }
        double max = 0;
        for (int i = 0; i < size(); i++) {
            double d = Math.abs(getDouble(i) - other.getDouble(i));
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    /** True when every element is finite (int tensors always are). */
    public boolean isFinite() {
        if (floats == null) {
            return true;
        }
        for (float f : floats) {
            if (!Float.isFinite(f)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && Arrays.equals(floats, t.floats)
                && Arrays.equals(ints, t.ints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(floats), Arrays.hashCode(ints));
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + " " + dtype.jsonName();
    }
}
