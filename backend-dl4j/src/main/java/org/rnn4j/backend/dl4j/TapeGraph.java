package org.rnn4j.backend.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Min;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.rnn4j.api.graph.BuiltGraph;
import org.rnn4j.api.graph.BuiltPiece;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.Piece;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.weights.WeightStore;
import org.rnn4j.backend.dl4j.TapeOps.Kind;
import org.rnn4j.backend.dl4j.TapeOps.Node;

/**
 * One model graph for one (mode, time steps, with loss) key, recorded by {@link TapeOps} and run
 * eagerly: a {@link Run} computes every node in order with one ND4J call each, and for training
 * walks the nodes backwards applying each op's gradient (vector-Jacobian product), written out
 * here in the same float32 arithmetic TensorFlow's registered gradients use.
 *
 * <p><b>Memory.</b> Every array a run allocates is recorded and closed when the run is closed
 * (after the caller copied what it needs into Java), so native memory is returned at once instead
 * of whenever the garbage collector finalizes JavaCPP pointers. Views (slices, unstacked steps,
 * reshapes of contiguous arrays) share their base's memory and are never closed on their own.
 * Weights live in arrays this graph owns for its lifetime and are overwritten in place when the
 * {@link WeightStore} changes.
 */
final class TapeGraph implements AutoCloseable {
    private final List<Node> nodes;
    private final BuiltGraph<Node> built;
    /** Per node: whether the loss's gradient must flow through it (it depends on a trainable weight). */
    private final boolean[] needsGrad;
    /** Per node: the persistent array of a weight or scalar node, else null. */
    private final INDArray[] constants;

    private final Map<String, Node> weightNodes = new LinkedHashMap<>();
    private final List<String> trainable = new ArrayList<>();
    /** The fused LSTM nodes by node id, with the arrays they keep between runs. */
    private final Map<Integer, TapeLstm> lstms = new LinkedHashMap<>();
    /** The fused SimpleRNN and GRU nodes by node id, likewise. */
    private final Map<Integer, TapeRnn> rnns = new LinkedHashMap<>();

    private WeightStore uploadedStore;
    private long uploadedVersion = -1;
    /** What {@link ModelGraph#buildPiece} built, for a piece's graph; else null. */
    private BuiltPiece<Node> piece;

    /** One piece of a long-sequence run ({@link ModelGraph#buildPiece}), with the fused nodes where they apply. */
    static TapeGraph forPiece(ModelSpec spec, Piece piece, boolean fusedLstm) {
        Dl4jRuntime.configure();
        TapeOps ops = new TapeOps(fusedLstm);
        BuiltPiece<Node> built = ModelGraph.buildPiece(spec, ops, piece);
        List<String> trainable = spec.weights().stream()
                .filter(WeightSpec::trainable)
                .map(WeightSpec::name)
                .filter(built.weights()::containsKey)
                .toList();
        List<Node> differentiable =
                built.differentiable().stream().map(built.inputs()::get).toList();
        TapeGraph g = new TapeGraph(
                ops, null, built.weights(), trainable, piece.mode() == ModelGraph.Mode.TRAINING, differentiable);
        g.piece = built;
        return g;
    }

    /** The graph of a model, with fused recurrent nodes where {@link ModelGraph} can use them. */
    static TapeGraph forModel(ModelSpec spec, ModelGraph.Mode mode, int timeSteps, boolean withLoss) {
        return forModel(spec, mode, timeSteps, withLoss, true);
    }

    /** The graph of a model whose loss reads per-sample weights ({@link ModelGraph#buildWeighted}). */
    static TapeGraph forWeightedModel(ModelSpec spec, ModelGraph.Mode mode, int timeSteps) {
        Dl4jRuntime.configure();
        TapeOps ops = new TapeOps(true);
        BuiltGraph<Node> built = ModelGraph.buildWeighted(spec, ops, mode, timeSteps);
        List<String> trainable = spec.weights().stream()
                .filter(WeightSpec::trainable)
                .map(WeightSpec::name)
                .toList();
        return new TapeGraph(ops, built, built.weights(), trainable, mode == ModelGraph.Mode.TRAINING, List.of());
    }

    /**
     * @param fusedLstm whether LSTM, GRU and SimpleRNN layers may run as one {@link TapeLstm} or
     *                  {@link TapeRnn} node (else they are unrolled)
     */
    static TapeGraph forModel(
            ModelSpec spec, ModelGraph.Mode mode, int timeSteps, boolean withLoss, boolean fusedLstm) {
        Dl4jRuntime.configure();
        TapeOps ops = new TapeOps(fusedLstm);
        BuiltGraph<Node> built = ModelGraph.build(spec, ops, mode, timeSteps, withLoss);
        List<String> trainable = spec.weights().stream()
                .filter(WeightSpec::trainable)
                .map(WeightSpec::name)
                .toList();
        return new TapeGraph(ops, built, built.weights(), trainable, mode == ModelGraph.Mode.TRAINING, List.of());
    }

    /**
     * @param ops       the recorded nodes
     * @param built     what {@link ModelGraph} built, or null for a bare graph
     * @param weights   every weight node by name
     * @param trainable the names of the weights to differentiate
     * @param training  whether runs may go backwards (else no node needs a gradient)
     * @param inputs    placeholders whose gradients a backward run returns too
     */
    TapeGraph(
            TapeOps ops,
            BuiltGraph<Node> built,
            Map<String, Node> weights,
            List<String> trainable,
            boolean training,
            List<Node> inputs) {
        this.built = built;
        this.nodes = ops.nodes();
        this.constants = new INDArray[nodes.size()];
        this.needsGrad = new boolean[nodes.size()];
        this.trainable.addAll(trainable);
        for (Map.Entry<String, Node> e : weights.entrySet()) {
            Node n = e.getValue();
            weightNodes.put(e.getKey(), n);
            constants[n.id()] = Nd4j.create(DataType.FLOAT, n.shape());
            needsGrad[n.id()] = training && trainable.contains(e.getKey());
        }
        for (Node in : inputs) {
            needsGrad[in.id()] = training;
        }
        for (Node n : nodes) {
            if (n.kind() == Kind.SCALAR) {
                constants[n.id()] = Nd4j.scalar(n.value());
            }
            if (n.kind() == Kind.CONSTANT) {
                constants[n.id()] = Nd4j.create(ops.constantValues(n), n.shape(), 'c');
            }
            if (n.kind() == Kind.LSTM) {
                lstms.put(n.id(), new TapeLstm(n.arg(0), n.arg(1) == 1, n.arg(2) == 1, n.arg(3) == 1));
            }
            if (n.kind() == Kind.RNN) {
                rnns.put(
                        n.id(),
                        new TapeRnn(TapeRnn.Cell.of(n.arg(4)), n.arg(0), n.arg(1) == 1, n.arg(2) == 1, n.arg(3) == 1));
            }
            for (int in : n.inputs()) {
                needsGrad[n.id()] |= needsGrad[in] && differentiable(n.kind());
            }
        }
    }

    private static boolean differentiable(Kind k) {
        return k != Kind.ONE_HOT && k != Kind.NOT_EQUAL_ZERO && k != Kind.NOT_EQUAL;
    }

    /** Frees the working arrays the fused nodes keep between runs; the next run allocates them again. */
    void releaseKept() {
        lstms.values().forEach(TapeLstm::close);
        rnns.values().forEach(TapeRnn::close);
        rnns.values().forEach(TapeRnn::close);
    }

    /** Bytes of working arrays kept between runs. */
    long keptBytes() {
        return lstms.values().stream().mapToLong(TapeLstm::keptBytes).sum()
                + rnns.values().stream().mapToLong(TapeRnn::keptBytes).sum();
    }

    /** Ops the fused recurrent nodes keep bound to their arrays (for tests). */
    long keptOps() {
        return lstms.values().stream().mapToLong(TapeLstm::boundOps).sum()
                + rnns.values().stream().mapToLong(TapeRnn::boundOps).sum();
    }

    /** Whether some LSTM layer runs as one fused node. */
    boolean hasFusedLstm() {
        return nodes.stream().anyMatch(n -> n.kind() == Kind.LSTM);
    }

    /** How many chunks the fused nodes recalled ({@link TapeRnn.Recall}) instead of recomputing them step by step. */
    long recalledChunks() {
        return rnns.values().stream().mapToLong(TapeRnn::recalled).sum()
                + lstms.values().stream().mapToLong(TapeLstm::recalled).sum();
    }

    /** How many recurrent layers (or directions) run as one fused node. */
    long fusedNodeCount() {
        return nodes.stream()
                .filter(n -> n.kind() == Kind.RNN || n.kind() == Kind.LSTM)
                .count();
    }

    BuiltGraph<Node> built() {
        return built;
    }

    BuiltPiece<Node> piece() {
        return piece;
    }

    /** Names of the weights the optimizer updates, in Keras order. */
    List<String> trainable() {
        return trainable;
    }

    /** Sets one weight's values (c order); for graphs without a {@link WeightStore}. */
    void set(String weight, float[] values) {
        INDArray target = constants[weightNodes.get(weight).id()];
        target.assign(Nd4j.create(values, target.shape(), 'c'));
        uploadedStore = null;
    }

    /** Copies the weights into this graph's arrays unless this store at this version is already there. */
    void upload(WeightStore store) {
        if (store == uploadedStore && store.version() == uploadedVersion) {
            return;
        }
        long version = store.version();
        for (Map.Entry<String, Node> e : weightNodes.entrySet()) {
            INDArray target = constants[e.getValue().id()];
            INDArray source = Nd4j.create(store.array(e.getKey()), target.shape(), 'c');
            try {
                target.assign(source);
            } finally {
                source.close();
            }
        }
        uploadedStore = store;
        uploadedVersion = version;
    }

    /** Runs the forward pass on the fed placeholders; {@link Run#backward} then adds the gradients. */
    Run forward(Map<Node, INDArray> feeds) {
        return forward(feeds, null);
    }

    /** Runs the forward pass of the nodes {@code outputs} depend on (all when null). */
    Run forward(Map<Node, INDArray> feeds, java.util.Collection<Node> outputs) {
        return forward(feeds, outputs, TapeRnn.Recall.NONE);
    }

    /**
     * As {@link #forward(Map, java.util.Collection)}, a piece's fused SimpleRNN and GRU nodes
     * remembering their hidden states for the backward run that recomputes the chunk, or recalling
     * them ({@link TapeRnn.Recall}).
     */
    Run forward(Map<Node, INDArray> feeds, java.util.Collection<Node> outputs, TapeRnn.Recall recall) {
        Run run = new Run(feeds, recall);
        boolean done = false;
        try {
            run.forward(outputs == null ? null : ancestors(outputs));
            done = true;
            return run;
        } finally {
            if (!done) {
                run.close();
            }
        }
    }

    /** Which nodes {@code outputs} depend on, themselves included. */
    private boolean[] ancestors(java.util.Collection<Node> outputs) {
        boolean[] needed = new boolean[nodes.size()];
        java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
        outputs.forEach(n -> todo.add(n.id()));
        while (!todo.isEmpty()) {
            int id = todo.pop();
            if (!needed[id]) {
                needed[id] = true;
                for (int in : nodes.get(id).inputs()) {
                    todo.add(in);
                }
            }
        }
        return needed;
    }

    /** Frees the weight and scalar arrays and what the fused nodes keep. */
    @Override
    public void close() {
        lstms.values().forEach(TapeLstm::close);
        rnns.values().forEach(TapeRnn::close);
        for (int i = 0; i < constants.length; i++) {
            if (constants[i] != null && constants[i].closeable() && !constants[i].wasClosed()) {
                constants[i].close();
            }
            constants[i] = null;
        }
        uploadedStore = null;
    }

    /** The values (and gradients) of one call; closing it frees every array it allocated. */
    final class Run implements AutoCloseable {
        private final Map<Node, INDArray> feeds;
        private final INDArray[] val = new INDArray[nodes.size()];
        private final INDArray[] grad = new INDArray[nodes.size()];
        /** Whether grad[i] is this run's own array, no other slot or value sees it: safe to add into in place. */
        private final boolean[] gradOwned = new boolean[nodes.size()];
        /** State a node keeps from forward for backward (fused LSTM, gather's one-hot). */
        private final Object[] saved = new Object[nodes.size()];

        private final List<INDArray> owned = new ArrayList<>();

        private final TapeRnn.Recall recall;

        private Run(Map<Node, INDArray> feeds, TapeRnn.Recall recall) {
            this.feeds = feeds;
            this.recall = recall;
        }

        /** The value of a node; valid until {@link #close()}. */
        INDArray value(Node n) {
            return val[n.id()];
        }

        /** The gradient of the loss for a weight, or null when the loss does not reach it. Valid until {@link #close()}. */
        INDArray gradient(String weight) {
            Node n = weightNodes.get(weight);
            return n == null ? null : grad[n.id()];
        }

        /** The gradient of the loss for any node (a differentiable input), or null when nothing reached it. */
        INDArray gradient(Node n) {
            return grad[n.id()];
        }

        /** The arrays this run allocated so far (for tests: all are closed by {@link #close()}). */
        List<INDArray> allocated() {
            return List.copyOf(owned);
        }

        /** Records an array this run allocated, to be freed by {@link #close()}. */
        INDArray own(INDArray a) {
            owned.add(a);
            return a;
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            for (INDArray a : owned) {
                try {
                    if (a.closeable() && !a.wasClosed()) {
                        a.close();
                    }
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            owned.clear();
            Arrays.fill(val, null);
            Arrays.fill(grad, null);
            Arrays.fill(saved, null);
            if (failure != null) {
                throw failure;
            }
        }

        private void forward(boolean[] needed) {
            for (Node n : nodes) {
                if (needed == null || needed[n.id()]) {
                    val[n.id()] = compute(n);
                }
            }
        }

        private INDArray in(Node n, int i) {
            return val[n.inputs()[i]];
        }

        private Node inNode(Node n, int i) {
            return nodes.get(n.inputs()[i]);
        }

        private INDArray compute(Node n) {
            return switch (n.kind()) {
                case PLACEHOLDER -> {
                    INDArray a = feeds.get(n);
                    if (a == null) {
                        throw new IllegalArgumentException("no value fed for input '" + n.name() + "'");
                    }
                    yield a;
                }
                case WEIGHT, SCALAR, CONSTANT -> constants[n.id()];
                case MATMUL -> matmul(in(n, 0), in(n, 1), false, false);
                case ADD, SUB, MUL, DIV, MINIMUM, MAXIMUM -> binary(n);
                case TANH -> own(Transforms.tanh(in(n, 0), true));
                case SIGMOID -> own(Transforms.sigmoid(in(n, 0), true));
                case RELU -> own(Transforms.relu(in(n, 0), true));
                case EXP -> own(Transforms.exp(in(n, 0), true));
                case LOG -> own(Transforms.log(in(n, 0), true));
                case ABS -> own(Transforms.abs(in(n, 0), true));
                case SQUARE -> own(in(n, 0).mul(in(n, 0)));
                case SQRT -> own(Transforms.sqrt(in(n, 0), true));
                case SOFTPLUS -> own(Transforms.softPlus(in(n, 0), true));
                case SOFTMAX -> {
                    // exp(x - max) / sum as separate ops. libnd4j's softmax op took 0.04 ms on [40, 73] alone but
                    // 0.3 ms right after a matrix product, and 0.7-3.4 ms a call in generate's stepped head
                    // (timed in place); these four ops 0.13 ms after a product (BENCHMARKS.md, "generate").
                    INDArray x = in(n, 0);
                    int axis = x.rank() - 1;
                    INDArray e = pair(Kind.SUB, x, own(x.max(true, axis)));
                    Transforms.exp(e, false);
                    yield pair(Kind.DIV, e, own(e.sum(true, axis)));
                }
                case SLICE ->
                    in(n, 0).get(sliceIndex(
                            in(n, 0).rank(), n.arg(0), NDArrayIndex.interval(n.arg(1), n.arg(1) + n.arg(2))));
                case UNSTACK_PART -> in(n, 0).get(sliceIndex(in(n, 0).rank(), n.arg(0), NDArrayIndex.point(n.arg(1))));
                case CONCAT -> own(Nd4j.concat(n.arg(0), inputs(n)));
                case STACK -> own(Nd4j.stack(n.arg(0), inputs(n)));
                case TRANSPOSE -> in(n, 0).permute(n.ints());
                case RESHAPE -> reshape(in(n, 0), runtimeShape(n.ints(), in(n, 0).length()));
                case GATHER -> gather(n);
                case ONE_HOT -> oneHot(ints(in(n, 0)), in(n, 0).shape(), n.arg(0));
                case NOT_EQUAL_ZERO -> notEqualZero(in(n, 0));
                case SUM -> own(in(n, 0).sum(n.arg(1) == 1, n.arg(0)));
                case MEAN -> own(in(n, 0).mean(n.arg(1) == 1, n.arg(0)));
                case MEAN_ALL ->
                    own(Nd4j.scalar(DataType.FLOAT, in(n, 0).meanNumber().floatValue()));
                case MAX -> own(in(n, 0).max(n.arg(1) == 1, n.arg(0)));
                case PAD -> {
                    INDArray x = in(n, 0);
                    long[] shape = x.shape().clone();
                    shape[n.arg(0)] += n.arg(1) + n.arg(2);
                    INDArray out = own(Nd4j.valueArrayOf(shape, n.value(), DataType.FLOAT));
                    out.get(sliceIndex(
                                    out.rank(), n.arg(0), NDArrayIndex.interval(n.arg(1), n.arg(1) + x.size(n.arg(0)))))
                            .assign(x);
                    yield out;
                }
                case NOT_EQUAL -> own(own(in(n, 0).neq(n.value())).castTo(DataType.FLOAT));
                case LSTM -> {
                    TapeLstm.Pass[] pass = new TapeLstm.Pass[1];
                    int state = 3 + n.arg(2);
                    boolean initial = n.inputs().length > state;
                    INDArray out = lstms.get(n.id())
                            .forward(
                                    this,
                                    in(n, 0),
                                    in(n, 1),
                                    in(n, 2),
                                    n.arg(2) == 1 ? in(n, 3) : null,
                                    initial ? in(n, state) : null,
                                    initial ? in(n, state + 1) : null,
                                    needsGrad[n.id()],
                                    recall,
                                    pass);
                    saved[n.id()] = pass[0];
                    yield out;
                }
                case LSTM_STATE -> {
                    TapeLstm.Pass pass = (TapeLstm.Pass) saved[n.inputs()[0]];
                    yield n.arg(0) == 0 ? TapeLstm.lastH(pass) : TapeLstm.lastC(pass);
                }
                case RNN -> {
                    TapeRnn.Pass[] pass = new TapeRnn.Pass[1];
                    int state = 3 + n.arg(2);
                    INDArray out = rnns.get(n.id())
                            .forward(
                                    this,
                                    in(n, 0),
                                    in(n, 1),
                                    in(n, 2),
                                    n.arg(2) == 1 ? in(n, 3) : null,
                                    n.inputs().length > state ? in(n, state) : null,
                                    needsGrad[n.id()],
                                    recall,
                                    pass);
                    saved[n.id()] = pass[0];
                    yield out;
                }
                case RNN_STATE -> TapeRnn.lastH((TapeRnn.Pass) saved[n.inputs()[0]]);
            };
        }

        private INDArray[] inputs(Node n) {
            INDArray[] xs = new INDArray[n.inputs().length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = in(n, i);
            }
            return xs;
        }

        private INDArray binary(Node n) {
            INDArray a = in(n, 0);
            INDArray b = in(n, 1);
            Node nb = inNode(n, 1);
            Node na = inNode(n, 0);
            if (nb.kind() == Kind.SCALAR) {
                float v = nb.value();
                return own(
                        switch (n.kind()) {
                            case ADD -> a.add(v);
                            case SUB -> a.sub(v);
                            case MUL -> a.mul(v);
                            case DIV -> a.div(v);
                            case MINIMUM -> Transforms.min(a, v, true);
                            default -> Transforms.max(a, v, true);
                        });
            }
            if (na.kind() == Kind.SCALAR && n.kind() != Kind.MINIMUM && n.kind() != Kind.MAXIMUM) {
                float v = na.value();
                return own(
                        switch (n.kind()) {
                            case ADD -> b.add(v);
                            case SUB -> b.rsub(v);
                            case MUL -> b.mul(v);
                            default -> b.rdiv(v);
                        });
            }
            return pair(n.kind(), a, b);
        }

        /** {@code a op b} (add, sub, mul, div, minimum, maximum), broadcasting, into a fresh owned array. */
        INDArray pair(Kind kind, INDArray a, INDArray b) {
            INDArray out = own(Nd4j.createUninitialized(DataType.FLOAT, TapeOps.broadcast(a.shape(), b.shape())));
            CustomOp op = switch (kind) {
                case ADD -> new AddOp(a, b, out);
                case SUB -> new SubOp(a, b, out);
                case MUL -> new MulOp(a, b, out);
                case DIV -> new DivOp(a, b, out);
                case MINIMUM -> new Min(a, b, out);
                case MAXIMUM -> new Max(a, b, out);
                default -> throw new IllegalArgumentException(kind + " is not a binary op");
            };
            Nd4j.exec(op);
            return out;
        }

        private INDArray gather(Node n) {
            INDArray table = in(n, 0);
            INDArray ids = in(n, 1);
            int[] idx = ints(ids);
            long[] shape = Arrays.copyOf(ids.shape(), ids.rank() + 1);
            shape[ids.rank()] = table.size(1);
            // libnd4j's gather op: about 20 microseconds for 40 rows of a [73, 32] table where
            // Nd4j.pullRows took 68 (it works out the table's row layout on every call).
            INDArray rows = own(Nd4j.createUninitialized(DataType.FLOAT, idx.length, table.size(1)));
            Nd4j.exec(DynamicCustomOp.builder("gather")
                    .addInputs(table, own(Nd4j.createFromArray(idx)))
                    .addOutputs(rows)
                    .addIntegerArguments(0)
                    .build());
            saved[n.id()] = idx;
            return reshape(rows, shape);
        }

        private INDArray oneHot(int[] ids, long[] idShape, int depth) {
            float[] data = new float[ids.length * depth];
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] >= 0 && ids[i] < depth) {
                    data[i * depth + ids[i]] = 1f;
                }
            }
            long[] shape = Arrays.copyOf(idShape, idShape.length + 1);
            shape[idShape.length] = depth;
            return own(Nd4j.create(data, shape, 'c'));
        }

        private INDArray notEqualZero(INDArray ids) {
            int[] v = ints(ids);
            float[] data = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                data[i] = v[i] != 0 ? 1f : 0f;
            }
            return own(Nd4j.create(data, ids.shape(), 'c'));
        }

        /**
         * {@code op(a) . op(b)} (op = transpose where asked) into a fresh c-order array: ND4J's
         * {@code mmul} returns f-order results, which every later reshape or row slice would copy.
         */
        INDArray matmul(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
            long rows = transposeA ? a.size(1) : a.size(0);
            long cols = transposeB ? b.size(0) : b.size(1);
            INDArray out = own(Nd4j.createUninitialized(DataType.FLOAT, rows, cols));
            Nd4j.gemm(a, b, out, transposeA, transposeB, 1.0, 0.0);
            return out;
        }

        /** Column sums of a matrix {@code [n, m] -> [m]}, as a matmul with a row of ones (ND4J's strided column reduction is slow). */
        INDArray columnSums(INDArray a) {
            INDArray ones = own(Nd4j.ones(DataType.FLOAT, 1, a.size(0)));
            return reshape(matmul(ones, a, false, false), a.size(1));
        }

        /** A c-order reshape; copies (an owned copy) only when {@code a} is not c-contiguous. */
        INDArray reshape(INDArray a, long... shape) {
            INDArray src = a;
            if (a.ordering() != 'c' || !Shape.hasDefaultStridesForShape(a)) {
                src = own(a.dup('c'));
            }
            return src.reshape('c', shape);
        }

        // ---------------------------------------------------------------------------- backward

        /** Adds the gradients of the scalar {@code loss} with respect to every trainable weight. */
        void backward(Node loss) {
            backward(Map.of(loss, own(Nd4j.scalar(1f))));
        }

        /**
         * Adds the gradients of a loss whose gradient with respect to each seeded node is given
         * (the seeds are read, never written).
         */
        void backward(Map<Node, INDArray> seeds) {
            int top = -1;
            for (Map.Entry<Node, INDArray> e : seeds.entrySet()) {
                int id = e.getKey().id();
                if (needsGrad[id]) {
                    accumulate(id, e.getValue(), false);
                    top = Math.max(top, id);
                }
            }
            for (int i = top; i >= 0; i--) {
                Node n = nodes.get(i);
                boolean lstmSeeded = (n.kind() == Kind.LSTM || n.kind() == Kind.RNN) && saved[i] instanceof StateSeeds;
                if ((grad[i] == null && !lstmSeeded) || !needsGrad[i] || n.inputs().length == 0) {
                    continue;
                }
                backprop(n, grad[i]);
            }
        }

        private boolean wants(Node n, int i) {
            return needsGrad[n.inputs()[i]];
        }

        /** Adds a contribution to a node's gradient. {@code fresh}: nothing else refers to {@code g}. */
        private void accumulate(int node, INDArray g, boolean fresh) {
            if (grad[node] == null) {
                grad[node] = g;
                gradOwned[node] = fresh;
            } else if (gradOwned[node]) {
                grad[node].addi(g);
            } else {
                grad[node] = own(grad[node].add(g));
                gradOwned[node] = true;
            }
        }

        /** A zero-initialised gradient buffer for a node that is sliced, so that pieces add into views of it. */
        private INDArray gradBuffer(int node) {
            if (grad[node] == null) {
                grad[node] = own(Nd4j.zeros(DataType.FLOAT, val[node].shape()));
                gradOwned[node] = true;
            } else if (!gradOwned[node]) {
                grad[node] = own(grad[node].dup('c'));
                gradOwned[node] = true;
            }
            return grad[node];
        }

        /** {@code g} summed down to {@code shape} (the inverse of broadcasting); {@code g} itself when shapes match. */
        private INDArray unbroadcast(INDArray g, long[] shape) {
            if (Arrays.equals(g.shape(), shape)) {
                return g;
            }
            int lead = g.rank() - shape.length;
            List<Integer> axes = new ArrayList<>();
            for (int i = 0; i < g.rank(); i++) {
                if (i < lead || (shape[i - lead] == 1 && g.size(i) != 1)) {
                    axes.add(i);
                }
            }
            if (g.rank() == 2 && axes.equals(List.of(0))) {
                return reshape(columnSums(g), shape);
            }
            INDArray s = axes.isEmpty()
                    ? g
                    : own(g.sum(true, axes.stream().mapToInt(Integer::intValue).toArray()));
            return reshape(s, shape);
        }

        private void accumulateBroadcast(Node n, int i, INDArray g, boolean fresh) {
            INDArray target = in(n, i);
            INDArray r = unbroadcast(g, target.shape());
            accumulate(n.inputs()[i], r, fresh || r != g);
        }

        private void backprop(Node n, INDArray dy) {
            switch (n.kind()) {
                case MATMUL -> {
                    if (wants(n, 0)) {
                        accumulate(n.inputs()[0], matmul(dy, in(n, 1), false, true), true);
                    }
                    if (wants(n, 1)) {
                        accumulate(n.inputs()[1], matmul(in(n, 0), dy, true, false), true);
                    }
                }
                case ADD -> {
                    for (int i = 0; i < 2; i++) {
                        if (wants(n, i)) {
                            accumulateBroadcast(n, i, dy, false);
                        }
                    }
                }
                case SUB -> {
                    if (wants(n, 0)) {
                        accumulateBroadcast(n, 0, dy, false);
                    }
                    if (wants(n, 1)) {
                        accumulateBroadcast(n, 1, own(dy.neg()), true);
                    }
                }
                case MUL -> {
                    if (wants(n, 0)) {
                        accumulateBroadcast(n, 0, times(dy, n, 1), true);
                    }
                    if (wants(n, 1)) {
                        accumulateBroadcast(n, 1, times(dy, n, 0), true);
                    }
                }
                case DIV -> {
                    INDArray b = in(n, 1);
                    if (wants(n, 0)) {
                        accumulateBroadcast(n, 0, pair(Kind.DIV, dy, b), true);
                    }
                    if (wants(n, 1)) {
                        // d(a/b)/db = -(a/b)/b
                        INDArray t = pair(Kind.MUL, dy, val[n.id()]);
                        INDArray u = pair(Kind.DIV, t, b);
                        accumulateBroadcast(n, 1, own(u.negi()), true);
                    }
                }
                case MINIMUM, MAXIMUM -> minMax(n, dy);
                case TANH -> {
                    INDArray y = val[n.id()];
                    INDArray t = own(y.mul(y)).rsubi(1f).muli(dy);
                    accumulate(n.inputs()[0], t, true);
                }
                case SIGMOID -> {
                    INDArray y = val[n.id()];
                    accumulate(n.inputs()[0], own(y.rsub(1f)).muli(y).muli(dy), true);
                }
                case RELU ->
                    accumulate(
                            n.inputs()[0], own(Transforms.step(in(n, 0), true)).muli(dy), true);
                case EXP -> accumulate(n.inputs()[0], own(dy.mul(val[n.id()])), true);
                case LOG -> accumulate(n.inputs()[0], own(dy.div(in(n, 0))), true);
                case ABS ->
                    accumulate(
                            n.inputs()[0], own(Transforms.sign(in(n, 0), true)).muli(dy), true);
                case SQUARE -> accumulate(n.inputs()[0], own(in(n, 0).mul(2f)).muli(dy), true);
                case SQRT -> accumulate(n.inputs()[0], own(dy.mul(0.5f)).divi(val[n.id()]), true);
                case SOFTPLUS ->
                    accumulate(
                            n.inputs()[0],
                            own(Transforms.sigmoid(in(n, 0), true)).muli(dy),
                            true);
                case SOFTMAX -> {
                    INDArray y = val[n.id()];
                    INDArray s = own(own(dy.mul(y)).sum(true, y.rank() - 1));
                    INDArray t = pair(Kind.SUB, dy, s);
                    accumulate(n.inputs()[0], t.muli(y), true);
                }
                case SLICE ->
                    gradBuffer(n.inputs()[0])
                            .get(sliceIndex(
                                    in(n, 0).rank(), n.arg(0), NDArrayIndex.interval(n.arg(1), n.arg(1) + n.arg(2))))
                            .addi(dy);
                case UNSTACK_PART ->
                    gradBuffer(n.inputs()[0])
                            .get(sliceIndex(in(n, 0).rank(), n.arg(0), NDArrayIndex.point(n.arg(1))))
                            .addi(dy);
                case CONCAT -> {
                    long offset = 0;
                    for (int i = 0; i < n.inputs().length; i++) {
                        long size = in(n, i).size(n.arg(0));
                        if (wants(n, i)) {
                            accumulate(
                                    n.inputs()[i],
                                    dy.get(sliceIndex(
                                            dy.rank(), n.arg(0), NDArrayIndex.interval(offset, offset + size))),
                                    false);
                        }
                        offset += size;
                    }
                }
                case STACK -> {
                    // A point view of a strided view (a concatenation's gradient) comes back empty in
                    // ND4J 1.0.0-M2.1: take the pieces from a contiguous copy.
                    INDArray src = Shape.hasDefaultStridesForShape(dy) && dy.ordering() == 'c' ? dy : own(dy.dup('c'));
                    for (int i = 0; i < n.inputs().length; i++) {
                        if (wants(n, i)) {
                            accumulate(
                                    n.inputs()[i],
                                    src.get(sliceIndex(src.rank(), n.arg(0), NDArrayIndex.point(i))),
                                    false);
                        }
                    }
                }
                case TRANSPOSE -> accumulate(n.inputs()[0], dy.permute(inverse(n.ints())), false);
                case RESHAPE -> accumulate(n.inputs()[0], reshape(dy, in(n, 0).shape()), false);
                case GATHER -> {
                    INDArray table = in(n, 0);
                    int[] ids = (int[]) saved[n.id()];
                    INDArray oneHot = oneHot(ids, new long[] {ids.length}, (int) table.size(0));
                    INDArray flat = reshape(dy, ids.length, table.size(1));
                    accumulate(n.inputs()[0], matmul(oneHot, flat, true, false), true);
                }
                case SUM, MEAN -> {
                    INDArray x = in(n, 0);
                    long[] keep = x.shape().clone();
                    keep[n.arg(0)] = 1;
                    // zeros + dy, broadcasting: a real array (ND4J's broadcast() may return a stride-0 view).
                    INDArray g = pair(Kind.ADD, own(Nd4j.zeros(DataType.FLOAT, x.shape())), reshape(dy, keep));
                    if (n.kind() == Kind.MEAN) {
                        g.divi((float) x.size(n.arg(0)));
                    }
                    accumulate(n.inputs()[0], g, true);
                }
                case MEAN_ALL -> {
                    INDArray x = in(n, 0);
                    float v = dy.getFloat(0) / (float) x.length();
                    accumulate(n.inputs()[0], own(Nd4j.valueArrayOf(x.shape(), v, DataType.FLOAT)), true);
                }
                case MAX -> {
                    // TensorFlow's: the gradient is shared equally by the elements equal to the maximum.
                    INDArray x = in(n, 0);
                    long[] keep = x.shape().clone();
                    keep[n.arg(0)] = 1;
                    INDArray y = reshape(val[n.id()], keep);
                    INDArray bool = own(Nd4j.createUninitialized(DataType.BOOL, x.shape()));
                    Nd4j.exec((CustomOp) new EqualTo(x, y, bool));
                    INDArray indicators = own(bool.castTo(DataType.FLOAT));
                    INDArray count = own(indicators.sum(true, n.arg(0)));
                    INDArray share = pair(Kind.DIV, reshape(dy, keep), count);
                    accumulate(n.inputs()[0], pair(Kind.MUL, indicators, share), true);
                }
                case PAD -> {
                    long size = in(n, 0).size(n.arg(0));
                    accumulate(
                            n.inputs()[0],
                            dy.get(sliceIndex(dy.rank(), n.arg(0), NDArrayIndex.interval(n.arg(1), n.arg(1) + size))),
                            false);
                }
                case LSTM_STATE -> {
                    int lstm = n.inputs()[0];
                    StateSeeds seeds =
                            saved[lstm] instanceof StateSeeds s ? s : new StateSeeds(saved[lstm], new INDArray[2]);
                    seeds.dy()[n.arg(0)] = dy;
                    saved[lstm] = seeds;
                }
                case LSTM -> {
                    TapeLstm.Pass pass;
                    INDArray dh = null;
                    INDArray dc = null;
                    if (saved[n.id()] instanceof StateSeeds s) {
                        pass = (TapeLstm.Pass) s.pass();
                        dh = s.dy()[0];
                        dc = s.dy()[1];
                    } else {
                        pass = (TapeLstm.Pass) saved[n.id()];
                    }
                    INDArray[] g = lstms.get(n.id()).backward(pass, dy, dh, dc, wants(n, 0));
                    for (int i = 0; i < n.inputs().length; i++) {
                        if (wants(n, i) && g[i] != null) {
                            accumulate(n.inputs()[i], g[i], true);
                        }
                    }
                }
                case RNN_STATE -> {
                    int rnn = n.inputs()[0];
                    StateSeeds seeds =
                            saved[rnn] instanceof StateSeeds s ? s : new StateSeeds(saved[rnn], new INDArray[1]);
                    seeds.dy()[0] = dy;
                    saved[rnn] = seeds;
                }
                case RNN -> {
                    TapeRnn.Pass pass;
                    INDArray dh = null;
                    if (saved[n.id()] instanceof StateSeeds s) {
                        pass = (TapeRnn.Pass) s.pass();
                        dh = s.dy()[0];
                    } else {
                        pass = (TapeRnn.Pass) saved[n.id()];
                    }
                    INDArray[] g = rnns.get(n.id()).backward(pass, dy, dh, wants(n, 0));
                    for (int i = 0; i < n.inputs().length; i++) {
                        if (wants(n, i) && g[i] != null) {
                            accumulate(n.inputs()[i], g[i], true);
                        }
                    }
                }
                default -> throw new IllegalStateException("no gradient for " + n.kind());
            }
        }

        /** {@code dy * (operand j of n)}, broadcasting, as a fresh array. */
        private INDArray times(INDArray dy, Node n, int j) {
            Node other = inNode(n, j);
            if (other.kind() == Kind.SCALAR) {
                return own(dy.mul(other.value()));
            }
            INDArray o = in(n, j);
            return pair(Kind.MUL, dy, o);
        }

        /**
         * TensorFlow's gradient of maximum (minimum): to {@code a} where {@code a >= b} ({@code a <= b}),
         * to {@code b} elsewhere.
         */
        private void minMax(Node n, INDArray dy) {
            INDArray a = in(n, 0);
            INDArray b = in(n, 1);
            INDArray mask;
            if (inNode(n, 1).kind() == Kind.SCALAR) {
                float v = inNode(n, 1).value();
                mask = own(own(n.kind() == Kind.MAXIMUM ? a.gte(v) : a.lte(v)).castTo(DataType.FLOAT));
            } else {
                INDArray bool = own(Nd4j.createUninitialized(DataType.BOOL, TapeOps.broadcast(a.shape(), b.shape())));
                Nd4j.exec((CustomOp)
                        (n.kind() == Kind.MAXIMUM
                                ? new GreaterThanOrEqual(a, b, bool)
                                : new LessThanOrEqual(a, b, bool)));
                mask = own(bool.castTo(DataType.FLOAT));
            }
            if (wants(n, 0)) {
                accumulateBroadcast(n, 0, own(dy.mul(mask)), true);
            }
            if (wants(n, 1)) {
                accumulateBroadcast(n, 1, own(mask.rsub(1f)).muli(dy), true);
            }
        }
    }

    /**
     * A fused node's forward pass ({@link TapeLstm.Pass} or {@link TapeRnn.Pass}) and the gradients
     * of its last states as outputs of their own.
     */
    private record StateSeeds(Object pass, INDArray[] dy) {}

    private static INDArrayIndex[] sliceIndex(int rank, int axis, INDArrayIndex index) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) {
            idx[i] = i == axis ? index : NDArrayIndex.all();
        }
        return idx;
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    private static long[] runtimeShape(int[] shape, long length) {
        long[] out = new long[shape.length];
        long known = 1;
        int unknown = -1;
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
            if (shape[i] < 0) {
                unknown = i;
            } else {
                known *= shape[i];
            }
        }
        if (unknown >= 0) {
            out[unknown] = known == 0 ? 0 : length / known;
        }
        return out;
    }

    /** The int values of an id array, in c order. */
    static int[] ints(INDArray ids) {
        if (ids.ordering() == 'c'
                && Shape.hasDefaultStridesForShape(ids)
                && ids.offset() == 0
                && ids.data().length() == ids.length()
                && ids.dataType() == DataType.INT32) {
            return ids.data().asInt();
        }
        INDArray c = ids.dataType() == DataType.INT32
                ? ids.dup('c')
                : ids.castTo(DataType.INT32).dup('c');
        try {
            return c.data().asInt();
        } finally {
            c.close();
        }
    }
}
