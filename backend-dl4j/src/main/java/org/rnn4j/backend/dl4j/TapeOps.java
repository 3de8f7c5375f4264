package org.rnn4j.backend.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rnn4j.api.graph.Ops;
import org.rnn4j.api.tensor.DType;

/**
 * {@link Ops} that records the model as a list of {@link Node}s in creation order (which is a
 * topological order), for {@link TapeGraph} to run eagerly on ND4J arrays, forwards and, for
 * training, backwards with the gradient of each op written out in {@link TapeGraph}. Nothing is
 * computed here; each node carries its static shape ({@code -1} = unknown, the batch) so that
 * shape errors show when the graph is built, not in the middle of a step.
 *
 * <p>Why not SameDiff: its interpreter spends tens of microseconds of Java per op (dependency
 * tracking, per-op hash maps, allocation through its memory manager), and an unrolled recurrence is
 * thousands of small ops per step; this runs the same ops as direct ND4J calls, so an op costs
 * what libnd4j costs (see ARCHITECTURE.md, "The DL4J backend").
 */
final class TapeOps implements Ops<TapeOps.Node> {

    /** What a node computes. */
    enum Kind {
        PLACEHOLDER,
        WEIGHT,
        SCALAR,
        MATMUL,
        ADD,
        SUB,
        MUL,
        DIV,
        MINIMUM,
        MAXIMUM,
        TANH,
        SIGMOID,
        RELU,
        EXP,
        LOG,
        ABS,
        SQUARE,
        SQRT,
        SOFTPLUS,
        SOFTMAX,
        SLICE,
        UNSTACK_PART,
        CONCAT,
        STACK,
        TRANSPOSE,
        RESHAPE,
        GATHER,
        ONE_HOT,
        NOT_EQUAL_ZERO,
        SUM,
        MEAN,
        MEAN_ALL,
        LSTM,
        MAX,
        PAD,
        NOT_EQUAL,
        CONSTANT,
        /** The last h ({@code ints[0] == 0}) or c ({@code 1}) of the LSTM node that is its input. */
        LSTM_STATE,
        /** A whole forward SimpleRNN or GRU layer ({@link TapeRnn}). */
        RNN,
        /** The last h of the {@link #RNN} node that is its input. */
        RNN_STATE
    }

    /**
     * One recorded value.
     *
     * @param id     its index in {@link #nodes()}, also its slot in a run
     * @param inputs the ids of its operands
     * @param shape  its static shape, {@code -1} where unknown
     * @param ints   op arguments: the axis (and begin and size of a slice, index of an unstack part,
     *               keepDims as 0/1 of a reduction; units, returnSequences, hasBias and hasState as
     *               0/1 of an LSTM, the same and the {@link TapeRnn.Cell} code of an RNN),
     *               or the target shape of a reshape
     */
    record Node(int id, Kind kind, int[] inputs, long[] shape, int[] ints, float value, String name, DType dtype) {
        int arg(int i) {
            return ints[i];
        }

        int rank() {
            return shape.length;
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    /** The values of CONSTANT nodes by node id. */
    private final Map<Integer, float[]> constantValues = new HashMap<>();

    private final Map<Float, Node> scalars = new HashMap<>();
    private final boolean fused;

    /**
     * @param fused offer {@link #lstm}, {@link #gru} and {@link #simpleRnn} (one node for a whole
     *              layer; see {@link TapeLstm} and {@link TapeRnn})
     */
    TapeOps(boolean fused) {
        this.fused = fused;
    }

    /** Every node, in creation (topological) order. */
    List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    private Node add(Kind kind, long[] shape, int[] ints, float value, String name, DType dtype, Node... inputs) {
        int[] in = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            in[i] = inputs[i].id();
        }
        Node n = new Node(nodes.size(), kind, in, shape, ints, value, name, dtype);
        nodes.add(n);
        return n;
    }

    private Node add(Kind kind, long[] shape, Node... inputs) {
        return add(kind, shape, new int[0], 0f, null, DType.FLOAT32, inputs);
    }

    private Node add(Kind kind, long[] shape, int[] ints, Node... inputs) {
        return add(kind, shape, ints, 0f, null, DType.FLOAT32, inputs);
    }

    private static long[] longs(int... xs) {
        return Arrays.stream(xs).asLongStream().toArray();
    }

    @Override
    public Node placeholder(String name, DType dtype, int... shape) {
        return add(Kind.PLACEHOLDER, longs(shape), new int[0], 0f, name, dtype);
    }

    @Override
    public Node weight(String name, int... shape) {
        return add(Kind.WEIGHT, longs(shape), new int[0], 0f, name, DType.FLOAT32);
    }

    @Override
    public Node scalar(float value) {
        // One node per value keeps an unrolled graph from holding hundreds of copies of 1.0.
        return scalars.computeIfAbsent(value, v -> add(Kind.SCALAR, new long[0], new int[0], v, null, DType.FLOAT32));
    }

    @Override
    public Node matmul(Node a, Node b) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matmul takes rank-2 values, got " + Arrays.toString(a.shape()) + " x "
                    + Arrays.toString(b.shape()));
        }
        if (a.shape()[1] >= 0 && b.shape()[0] >= 0 && a.shape()[1] != b.shape()[0]) {
            throw new IllegalArgumentException("matmul of " + Arrays.toString(a.shape()) + " x "
                    + Arrays.toString(b.shape()) + ": inner dimensions differ");
        }
        return add(Kind.MATMUL, new long[] {a.shape()[0], b.shape()[1]}, a, b);
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
                throw new IllegalArgumentException(
                        "shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
        }
        return out;
    }

    private Node binary(Kind kind, Node a, Node b) {
        return add(kind, broadcast(a.shape(), b.shape()), a, b);
    }

    @Override
    public Node add(Node a, Node b) {
        return binary(Kind.ADD, a, b);
    }

    @Override
    public Node sub(Node a, Node b) {
        return binary(Kind.SUB, a, b);
    }

    @Override
    public Node mul(Node a, Node b) {
        return binary(Kind.MUL, a, b);
    }

    @Override
    public Node div(Node a, Node b) {
        return binary(Kind.DIV, a, b);
    }

    @Override
    public Node minimum(Node a, Node b) {
        return binary(Kind.MINIMUM, a, b);
    }

    @Override
    public Node maximum(Node a, Node b) {
        return binary(Kind.MAXIMUM, a, b);
    }

    @Override
    public Node tanh(Node x) {
        return add(Kind.TANH, x.shape(), x);
    }

    @Override
    public Node sigmoid(Node x) {
        return add(Kind.SIGMOID, x.shape(), x);
    }

    @Override
    public Node relu(Node x) {
        return add(Kind.RELU, x.shape(), x);
    }

    @Override
    public Node exp(Node x) {
        return add(Kind.EXP, x.shape(), x);
    }

    @Override
    public Node log(Node x) {
        return add(Kind.LOG, x.shape(), x);
    }

    @Override
    public Node abs(Node x) {
        return add(Kind.ABS, x.shape(), x);
    }

    @Override
    public Node square(Node x) {
        return add(Kind.SQUARE, x.shape(), x);
    }

    @Override
    public Node sqrt(Node x) {
        return add(Kind.SQRT, x.shape(), x);
    }

    @Override
    public Node softplus(Node x) {
        return add(Kind.SOFTPLUS, x.shape(), x);
    }

    @Override
    public Node softmax(Node x) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException("softmax needs a value of rank 1 or more");
        }
        return add(Kind.SOFTMAX, x.shape(), x);
    }

    @Override
    public Node slice(Node x, int axis, int begin, int size) {
        long[] s = x.shape();
        if (axis < 0 || axis >= s.length) {
            throw new IllegalArgumentException(
                    "slice axis " + axis + " is outside a value of shape " + Arrays.toString(s));
        }
        if (begin < 0 || size <= 0 || (s[axis] >= 0 && begin + size > s[axis])) {
            throw new IllegalArgumentException("slice [" + begin + ", " + (begin + size) + ") does not fit axis " + axis
                    + " of shape " + Arrays.toString(s));
        }
        long[] out = s.clone();
        out[axis] = size;
        return add(Kind.SLICE, out, new int[] {axis, begin, size}, x);
    }

    @Override
    public Node concat(List<Node> xs, int axis) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("concat of nothing");
        }
        long[] out = xs.get(0).shape().clone();
        long total = 0;
        for (Node x : xs) {
            long d = x.shape()[axis];
            total = total < 0 || d < 0 ? -1 : total + d;
        }
        out[axis] = total;
        return add(Kind.CONCAT, out, new int[] {axis}, xs.toArray(new Node[0]));
    }

    @Override
    public List<Node> split(Node x, int axis, int parts) {
        long[] s = x.shape();
        if (axis < 0 || axis >= s.length || s[axis] < 0 || s[axis] % parts != 0) {
            throw new IllegalArgumentException("split of axis " + axis + " into " + parts
                    + " does not fit a value of shape " + Arrays.toString(s));
        }
        int size = (int) (s[axis] / parts);
        List<Node> out = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            out.add(slice(x, axis, i * size, size));
        }
        return out;
    }

    @Override
    public List<Node> unstack(Node x, int axis, int count) {
        long[] s = x.shape();
        if (axis < 0 || axis >= s.length || (s[axis] >= 0 && s[axis] != count)) {
            throw new IllegalArgumentException("unstack of " + count + " along axis " + axis
                    + " does not fit a value of shape " + Arrays.toString(s));
        }
        long[] part = new long[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != axis) {
                part[j++] = s[i];
            }
        }
        List<Node> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(add(Kind.UNSTACK_PART, part.clone(), new int[] {axis, i}, x));
        }
        return out;
    }

    @Override
    public Node stack(List<Node> xs, int axis) {
        long[] in = xs.get(0).shape();
        long[] out = new long[in.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == axis ? xs.size() : in[j++];
        }
        return add(Kind.STACK, out, new int[] {axis}, xs.toArray(new Node[0]));
    }

    @Override
    public Node transpose(Node x, int... perm) {
        long[] s = x.shape();
        boolean[] seen = new boolean[s.length];
        if (perm.length != s.length) {
            throw new IllegalArgumentException("transpose of a rank-" + s.length + " value needs " + s.length
                    + " axes, got " + Arrays.toString(perm));
        }
        long[] out = new long[s.length];
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] < 0 || perm[i] >= s.length || seen[perm[i]]) {
                throw new IllegalArgumentException(
                        "transpose axes " + Arrays.toString(perm) + " are not a permutation of 0.." + (s.length - 1));
            }
            seen[perm[i]] = true;
            out[i] = s[perm[i]];
        }
        return add(Kind.TRANSPOSE, out, perm.clone(), 0f, null, x.dtype(), x);
    }

    @Override
    public Node reshape(Node x, int... shape) {
        long[] out = longs(shape);
        long[] in = x.shape();
        if (Arrays.stream(shape).filter(d -> d < 0).count() > 1) {
            throw new IllegalArgumentException("reshape to " + Arrays.toString(shape) + " has more than one -1");
        }
        if (Arrays.stream(in).allMatch(d -> d >= 0)) {
            long known = Arrays.stream(out).filter(d -> d >= 0).reduce(1, (p, d) -> p * d);
            long total = Arrays.stream(in).reduce(1, (p, d) -> p * d);
            for (int i = 0; i < out.length; i++) {
                if (out[i] < 0) {
                    out[i] = known == 0 ? 0 : total / known;
                }
            }
        }
        return add(Kind.RESHAPE, out, shape.clone(), 0f, null, x.dtype(), x);
    }

    @Override
    public Node gather(Node table, Node ids) {
        if (table.rank() != 2) {
            throw new IllegalArgumentException(
                    "gather takes a [vocab, dim] table, got " + Arrays.toString(table.shape()));
        }
        long[] i = ids.shape();
        long[] out = Arrays.copyOf(i, i.length + 1);
        out[i.length] = table.shape()[1];
        return add(Kind.GATHER, out, table, ids);
    }

    @Override
    public Node oneHot(Node ids, int depth) {
        long[] i = ids.shape();
        long[] out = Arrays.copyOf(i, i.length + 1);
        out[i.length] = depth;
        return add(Kind.ONE_HOT, out, new int[] {depth}, ids);
    }

    @Override
    public Node notEqualZero(Node ids) {
        return add(Kind.NOT_EQUAL_ZERO, ids.shape(), ids);
    }

    private static int axis(Node x, int axis) {
        int r = x.rank();
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
    public Node sum(Node x, int axis, boolean keepDims) {
        int a = axis(x, axis);
        return add(Kind.SUM, reduced(x.shape(), a, keepDims), new int[] {a, keepDims ? 1 : 0}, x);
    }

    @Override
    public Node mean(Node x, int axis, boolean keepDims) {
        int a = axis(x, axis);
        return add(Kind.MEAN, reduced(x.shape(), a, keepDims), new int[] {a, keepDims ? 1 : 0}, x);
    }

    @Override
    public Node meanAll(Node x) {
        return add(Kind.MEAN_ALL, new long[0], x);
    }

    @Override
    public Node max(Node x, int axis, boolean keepDims) {
        int a = axis(x, axis);
        return add(Kind.MAX, reduced(x.shape(), a, keepDims), new int[] {a, keepDims ? 1 : 0}, x);
    }

    @Override
    public Node pad(Node x, int axis, int before, int after, float value) {
        int a = axis(x, axis);
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("pad sizes must be >= 0, got " + before + " and " + after);
        }
        long[] out = x.shape().clone();
        if (out[a] >= 0) {
            out[a] += before + after;
        }
        return add(Kind.PAD, out, new int[] {a, before, after}, value, null, DType.FLOAT32, x);
    }

    @Override
    public Node notEqual(Node x, float value) {
        return add(Kind.NOT_EQUAL, x.shape(), new int[0], value, null, DType.FLOAT32, x);
    }

    @Override
    public Node constant(float[] values, int... shape) {
        if (Arrays.stream(shape).asLongStream().reduce(1, (p, d) -> p * d) != values.length) {
            throw new IllegalArgumentException(
                    "constant of shape " + Arrays.toString(shape) + " needs that many values, got " + values.length);
        }
        Node n = add(Kind.CONSTANT, longs(shape), new int[0], 0f, null, DType.FLOAT32);
        constantValues.put(n.id(), values.clone());
        return n;
    }

    /** The values of a CONSTANT node. */
    float[] constantValues(Node n) {
        return constantValues.get(n.id());
    }

    /**
     * One node for a whole forward LSTM layer, run by {@link TapeLstm}; its inputs are x, the
     * kernel, the recurrent kernel, the bias when there is one, and the initial h and c when given.
     * The last states, when asked for, are {@link Kind#LSTM_STATE} nodes reading it.
     */
    @Override
    public Optional<FusedLstm<Node>> lstm(LstmCall<Node> call) {
        if (!fused) {
            return Optional.empty();
        }
        Node x = call.x();
        if (x.rank() != 3) {
            throw new IllegalArgumentException("lstm takes [batch, time, features], got " + Arrays.toString(x.shape()));
        }
        long[] sx = x.shape();
        int units = call.units();
        boolean rs = call.returnSequences();
        long[] shape = rs ? new long[] {sx[0], sx[1], units} : new long[] {sx[0], units};
        boolean hasState = call.initialH() != null || call.returnStates();
        int[] ints = {units, rs ? 1 : 0, call.bias() == null ? 0 : 1, hasState ? 1 : 0};
        List<Node> in = new ArrayList<>(List.of(x, call.kernel(), call.recurrentKernel()));
        if (call.bias() != null) {
            in.add(call.bias());
        }
        if (call.initialH() != null) {
            in.add(call.initialH());
            in.add(call.initialC());
        }
        Node node = add(Kind.LSTM, shape, ints, in.toArray(new Node[0]));
        if (!call.returnStates()) {
            return Optional.of(new FusedLstm<>(node, null, null));
        }
        long[] state = {sx[0], units};
        Node h = rs ? add(Kind.LSTM_STATE, state, new int[] {0}, node) : node;
        Node c = add(Kind.LSTM_STATE, state, new int[] {1}, node);
        return Optional.of(new FusedLstm<>(node, h, c));
    }

    @Override
    public Optional<FusedRnn<Node>> simpleRnn(RnnCall<Node> call) {
        return rnn(call, TapeRnn.Cell.SIMPLE);
    }

    @Override
    public Optional<FusedRnn<Node>> gru(RnnCall<Node> call, boolean resetAfter) {
        return rnn(call, resetAfter ? TapeRnn.Cell.GRU_RESET_AFTER : TapeRnn.Cell.GRU);
    }

    /**
     * One node for a whole forward SimpleRNN or GRU layer, run by {@link TapeRnn}; its inputs are x,
     * the kernel, the recurrent kernel, the bias when there is one, and the initial h when given. The
     * last state of a sequence output, when asked for, is a {@link Kind#RNN_STATE} node reading it.
     */
    private Optional<FusedRnn<Node>> rnn(RnnCall<Node> call, TapeRnn.Cell cell) {
        if (!fused) {
            return Optional.empty();
        }
        Node x = call.x();
        if (x.rank() != 3) {
            throw new IllegalArgumentException(
                    "a recurrent layer takes [batch, time, features], got " + Arrays.toString(x.shape()));
        }
        long[] sx = x.shape();
        int units = call.units();
        boolean rs = call.returnSequences();
        long[] shape = rs ? new long[] {sx[0], sx[1], units} : new long[] {sx[0], units};
        boolean hasState = call.initialH() != null || call.returnStates();
        int[] ints = {units, rs ? 1 : 0, call.bias() == null ? 0 : 1, hasState ? 1 : 0, cell.code};
        List<Node> in = new ArrayList<>(List.of(x, call.kernel(), call.recurrentKernel()));
        if (call.bias() != null) {
            in.add(call.bias());
        }
        if (call.initialH() != null) {
            in.add(call.initialH());
        }
        Node node = add(Kind.RNN, shape, ints, in.toArray(new Node[0]));
        if (!call.returnStates()) {
            return Optional.of(new FusedRnn<>(node, null));
        }
        Node h = rs ? add(Kind.RNN_STATE, new long[] {sx[0], units}, new int[0], node) : node;
        return Optional.of(new FusedRnn<>(node, h));
    }
}
