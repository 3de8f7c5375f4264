package org.rnn4j.backend.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMActivations;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDataFormat;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDirectionMode;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMLayerConfig;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.weights.LSTMLayerWeights;
import org.nd4j.linalg.factory.Nd4j;
import org.rnn4j.api.graph.Ops;
import org.rnn4j.api.tensor.DType;

/**
 * {@link Ops} over one {@link SameDiff} graph. Weights become SameDiff {@code VARIABLE}s (their
 * arrays are set from the api's weight store before each run) because SameDiff only creates
 * gradient ops for variables; data, targets and dropout masks become placeholders.
 *
 * <p>SameDiff does not know the static shape of an op output before it runs, so this class keeps
 * its own shape of every value it made ({@code -1} = unknown, the batch), which {@link #slice},
 * {@link #sum} and {@link #mean} need to turn Keras-style axes into SameDiff arguments.
 * Everything is float32 except int token ids.
 */
public final class SameDiffOps implements Ops<SDVariable> {
    private final SameDiff sd;
    private final Map<SDVariable, long[]> shapes = new IdentityHashMap<>();
    private final Map<Float, SDVariable> scalars = new HashMap<>();
    private final boolean differentiableGather;
    private final boolean fusedLstm;

    /**
     * @param differentiableGather build {@link #gather} as a one-hot matmul, whose gradient works;
     *                             SameDiff 1.0.0-M2.1's own gather gradient fails to execute (its
     *                             Java-side scatter is an assign of the wrong shape) and would not
     *                             add up repeated ids anyway. The forward values are the same bit
     *                             for bit: each output row is {@code 1*row + 0*others}.
     */
    public SameDiffOps(SameDiff sd, boolean differentiableGather) {
        this(sd, differentiableGather, false);
    }

    /**
     * @param differentiableGather see {@link #SameDiffOps(SameDiff, boolean)}
     * @param fusedLstm            offer libnd4j's fused {@code lstmLayer} op ({@link #lstm}); only for
     *                             graphs that are not differentiated: 1.0.0-M2.1's {@code lstmLayer_bp}
     *                             computes correct gradients but leaks its native work arrays on
     *                             every call (see {@link #lstm}), so training graphs stay unrolled
     */
    public SameDiffOps(SameDiff sd, boolean differentiableGather, boolean fusedLstm) {
        this.sd = sd;
        this.differentiableGather = differentiableGather;
        this.fusedLstm = fusedLstm;
    }

    /** The graph this builds into. */
    public SameDiff sameDiff() {
        return sd;
    }

    /** The static shape of a value made here; {@code -1} marks an unknown (batch) dimension. */
    public long[] shapeOf(SDVariable v) {
        long[] s = shapes.get(v);
        if (s == null) {
            throw new IllegalArgumentException("value " + v.name() + " was not made by this SameDiffOps");
        }
        return s.clone();
    }

    private SDVariable track(SDVariable v, long[] shape) {
        shapes.put(v, shape);
        return v;
    }

    private int rank(SDVariable v) {
        return shapeOf(v).length;
    }

    private static long[] longs(int... xs) {
        return Arrays.stream(xs).asLongStream().toArray();
    }

    @Override
    public SDVariable placeholder(String name, DType dtype, int... shape) {
        DataType dt = dtype == DType.INT32 ? DataType.INT : DataType.FLOAT;
        return track(sd.placeHolder(name, dt, longs(shape)), longs(shape));
    }

    @Override
    public SDVariable weight(String name, int... shape) {
        return track(sd.var(name, DataType.FLOAT, longs(shape)), longs(shape));
    }

    @Override
    public SDVariable scalar(float value) {
        // One constant per value keeps an unrolled graph from holding hundreds of copies of 1.0.
        return scalars.computeIfAbsent(value, v -> track(sd.constant(Nd4j.scalar(v)), new long[0]));
    }

    @Override
    public SDVariable matmul(SDVariable a, SDVariable b) {
        long[] sa = shapeOf(a);
        long[] sb = shapeOf(b);
        if (sa.length != 2 || sb.length != 2) {
            throw new IllegalArgumentException("matmul takes rank-2 values, got " + Arrays.toString(sa) + " x " + Arrays.toString(sb));
        }
        return track(sd.mmul(a, b), new long[] {sa[0], sb[1]});
    }

    /** numpy broadcasting of two static shapes; -1 stays unknown unless the other side fixes it. */
    static long[] broadcast(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long da = i < n - a.length ? 1 : a[i - (n - a.length)];
            long db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da == 1) {
                out[i] = db;
            } else if (db == 1 || da == db) {
                out[i] = da;
            } else if (da == -1 || db == -1) {
                out[i] = Math.max(da, db);
            } else {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
        }
        return out;
    }

    private SDVariable binary(SDVariable a, SDVariable b, SDVariable result) {
        return track(result, broadcast(shapeOf(a), shapeOf(b)));
    }

    @Override
    public SDVariable add(SDVariable a, SDVariable b) {
        return binary(a, b, sd.math().add(a, b));
    }

    @Override
    public SDVariable sub(SDVariable a, SDVariable b) {
        return binary(a, b, sd.math().sub(a, b));
    }

    @Override
    public SDVariable mul(SDVariable a, SDVariable b) {
        return binary(a, b, sd.math().mul(a, b));
    }

    @Override
    public SDVariable div(SDVariable a, SDVariable b) {
        return binary(a, b, sd.math().div(a, b));
    }

    @Override
    public SDVariable minimum(SDVariable a, SDVariable b) {
        return binary(a, b, sd.math().min(a, b));
    }

    @Override
    public SDVariable maximum(SDVariable a, SDVariable b) {
        return binary(a, b, sd.math().max(a, b));
    }

    private SDVariable unary(SDVariable x, SDVariable result) {
        return track(result, shapeOf(x));
    }

    @Override
    public SDVariable tanh(SDVariable x) {
        return unary(x, sd.math().tanh(x));
    }

    @Override
    public SDVariable sigmoid(SDVariable x) {
        return unary(x, sd.nn().sigmoid(x));
    }

    @Override
    public SDVariable relu(SDVariable x) {
        return unary(x, sd.nn().relu(x, 0.0));
    }

    @Override
    public SDVariable exp(SDVariable x) {
        return unary(x, sd.math().exp(x));
    }

    @Override
    public SDVariable log(SDVariable x) {
        return unary(x, sd.math().log(x));
    }

    @Override
    public SDVariable abs(SDVariable x) {
        return unary(x, sd.math().abs(x));
    }

    @Override
    public SDVariable square(SDVariable x) {
        return unary(x, sd.math().square(x));
    }

    @Override
    public SDVariable sqrt(SDVariable x) {
        return unary(x, sd.math().sqrt(x));
    }

    @Override
    public SDVariable softplus(SDVariable x) {
        return unary(x, sd.nn().softplus(x));
    }

    @Override
    public SDVariable softmax(SDVariable x) {
        return unary(x, sd.nn().softmax(x, rank(x) - 1));
    }

    @Override
    public SDVariable slice(SDVariable x, int axis, int begin, int size) {
        long[] s = shapeOf(x);
        if (axis < 0 || axis >= s.length) {
            throw new IllegalArgumentException("slice axis " + axis + " is outside a value of shape " + Arrays.toString(s));
        }
        if (begin < 0 || size <= 0 || (s[axis] >= 0 && begin + size > s[axis])) {
            throw new IllegalArgumentException("slice [" + begin + ", " + (begin + size) + ") does not fit axis " + axis
                    + " of shape " + Arrays.toString(s));
        }
        int[] begins = new int[s.length];
        int[] sizes = new int[s.length];
        Arrays.fill(sizes, -1); // libnd4j's slice: size -1 = the rest of the axis (the unknown batch)
        begins[axis] = begin;
        sizes[axis] = size;
        long[] out = s.clone();
        out[axis] = size;
        return track(sd.slice(x, begins, sizes), out);
    }

    @Override
    public SDVariable concat(List<SDVariable> xs, int axis) {
        long[] out = shapeOf(xs.get(0));
        long total = 0;
        for (SDVariable x : xs) {
            long d = shapeOf(x)[axis];
            total = total < 0 || d < 0 ? -1 : total + d;
        }
        out[axis] = total;
        return track(sd.concat(axis, xs.toArray(new SDVariable[0])), out);
    }

    @Override
    public List<SDVariable> split(SDVariable x, int axis, int parts) {
        long[] s = shapeOf(x);
        if (axis < 0 || axis >= s.length || s[axis] < 0 || s[axis] % parts != 0) {
            throw new IllegalArgumentException("split of axis " + axis + " into " + parts + " does not fit a value of shape " + Arrays.toString(s));
        }
        long[] out = s.clone();
        out[axis] = s[axis] / parts;
        List<SDVariable> result = new ArrayList<>(parts);
        for (SDVariable v : sd.split(x, parts, axis)) {
            result.add(track(v, out.clone()));
        }
        return result;
    }

    @Override
    public List<SDVariable> unstack(SDVariable x, int axis, int count) {
        long[] s = shapeOf(x);
        if (axis < 0 || axis >= s.length || (s[axis] >= 0 && s[axis] != count)) {
            throw new IllegalArgumentException("unstack of " + count + " along axis " + axis + " does not fit a value of shape " + Arrays.toString(s));
        }
        long[] out = new long[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != axis) {
                out[j++] = s[i];
            }
        }
        List<SDVariable> result = new ArrayList<>(count);
        for (SDVariable v : sd.unstack(x, axis, count)) {
            result.add(track(v, out.clone()));
        }
        return result;
    }

    @Override
    public SDVariable stack(List<SDVariable> xs, int axis) {
        long[] in = shapeOf(xs.get(0));
        long[] out = new long[in.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == axis ? xs.size() : in[j++];
        }
        return track(sd.stack(axis, xs.toArray(new SDVariable[0])), out);
    }

    @Override
    public SDVariable reshape(SDVariable x, int... shape) {
        long[] out = longs(shape);
        long[] in = shapeOf(x);
        if (Arrays.stream(in).allMatch(d -> d >= 0)) {
            long known = Arrays.stream(out).filter(d -> d >= 0).reduce(1, (p, d) -> p * d);
            long total = Arrays.stream(in).reduce(1, (p, d) -> p * d);
            for (int i = 0; i < out.length; i++) {
                if (out[i] < 0) {
                    out[i] = known == 0 ? 0 : total / known;
                }
            }
        }
        return track(sd.reshape(x, longs(shape)), out);
    }

    @Override
    public SDVariable gather(SDVariable table, SDVariable ids) {
        long[] t = shapeOf(table);
        long[] i = shapeOf(ids);
        long[] out = Arrays.copyOf(i, i.length + 1);
        out[i.length] = t[1];
        if (!differentiableGather) {
            return track(sd.gather(table, ids, 0), out);
        }
        if (Arrays.stream(i).filter(d -> d < 0).count() > 1) {
            throw new IllegalArgumentException("gather ids of shape " + Arrays.toString(i) + " have more than one unknown dimension");
        }
        SDVariable oneHot = sd.reshape(sd.oneHot(ids, (int) t[0], -1, 1.0, 0.0, DataType.FLOAT), -1, t[0]);
        return track(sd.reshape(sd.mmul(oneHot, table), out), out);
    }

    @Override
    public SDVariable oneHot(SDVariable ids, int depth) {
        long[] i = shapeOf(ids);
        long[] out = Arrays.copyOf(i, i.length + 1);
        out[i.length] = depth;
        return track(sd.oneHot(ids, depth, -1, 1.0, 0.0, DataType.FLOAT), out);
    }

    @Override
    public SDVariable notEqualZero(SDVariable ids) {
        return track(sd.neq(ids, 0.0).castTo(DataType.FLOAT), shapeOf(ids));
    }

    private int axis(SDVariable x, int axis) {
        int r = rank(x);
        int a = axis < 0 ? r + axis : axis;
        if (a < 0 || a >= r) {
            throw new IllegalArgumentException("axis " + axis + " is outside a value of rank " + r);
        }
        return a;
    }

    private static long[] reduced(long[] s, int axis, boolean keepDims) {
        if (keepDims) {
            long[] out = s.clone();
            out[axis] = 1;
            return out;
        }
        long[] out = new long[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != axis) {
                out[j++] = s[i];
            }
        }
        return out;
    }

    @Override
    public SDVariable sum(SDVariable x, int axis, boolean keepDims) {
        int a = axis(x, axis);
        return track(sd.sum(x, keepDims, a), reduced(shapeOf(x), a, keepDims));
    }

    @Override
    public SDVariable mean(SDVariable x, int axis, boolean keepDims) {
        int a = axis(x, axis);
        return track(sd.mean(x, keepDims, a), reduced(shapeOf(x), a, keepDims));
    }

    @Override
    public SDVariable meanAll(SDVariable x) {
        return track(sd.mean(x), new long[0]);
    }

    /**
     * libnd4j's {@code lstmLayer} op (one op for the whole sequence, differentiated by its own
     * {@code lstmLayer_bp}), batch-major ({@code NTS}), forward. Its weight layout is Keras's:
     * {@code Wx [nIn, 4*nOut]}, {@code Wr [nOut, 4*nOut]}, {@code b [4*nOut]}, gate blocks in the
     * order i, f, c', o (libnd4j's {@code helpers/impl/lstmLayer.cpp}, {@code lstmLayerCell}), so
     * the weights go in as they are. Without initial states the op starts from zeros.
     *
     * <p>Declines unless this instance was made with {@code fusedLstm}: the op's gradient,
     * {@code lstmLayer_bp}, leaks native memory in 1.0.0-M2.1: 3.3 MB per call at batch 32, 50
     * steps, 50 units, growing without bound (by its size, apparently its forward-recomputation
     * buffers {@code z, a [time, batch, 4*units]} and {@code h, c [time+1, batch, units]}), so only
     * graphs that are never differentiated use it.
     */
    @Override
    public Optional<SDVariable> lstm(SDVariable x, SDVariable kernel, SDVariable recurrentKernel, SDVariable bias,
                                     int units, boolean returnSequences) {
        if (!fusedLstm) {
            return Optional.empty();
        }
        long[] sx = shapeOf(x);
        if (sx.length != 3) {
            throw new IllegalArgumentException("lstm takes [batch, time, features], got " + Arrays.toString(sx));
        }
        LSTMLayerConfig config = LSTMLayerConfig.builder()
                .lstmdataformat(LSTMDataFormat.NTS)
                .directionMode(LSTMDirectionMode.FWD)
                .gateAct(LSTMActivations.SIGMOID)
                .cellAct(LSTMActivations.TANH)
                .outAct(LSTMActivations.TANH)
                .retFullSequence(returnSequences)
                .retLastH(!returnSequences)
                .retLastC(false)
                .build();
        LSTMLayerWeights.LSTMLayerWeightsBuilder w = LSTMLayerWeights.builder().weights(kernel).rWeights(recurrentKernel);
        if (bias != null) {
            w.bias(bias);
        }
        SDVariable[] outs = sd.rnn().lstmLayer(x, w.build(), config);
        long[] shape = returnSequences ? new long[] {sx[0], sx[1], units} : new long[] {sx[0], units};
        return Optional.of(track(outs[0], shape));
    }
}
