package org.rnn4j.backend.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rnn4j.api.backend.BackendException;
import org.rnn4j.api.backend.CheckedProgram;
import org.rnn4j.api.backend.GraphCache;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.graph.BuiltGraph;
import org.rnn4j.api.graph.BuiltPiece;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.graph.Piece;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.sequence.PieceRunner;
import org.rnn4j.api.sequence.SequenceDriver;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * A model compiled for ND4J. Graphs ({@link TapeGraph}) are built lazily: for short sequences one
 * per (mode, time steps, with loss), for long ones (as {@link RecurrencePolicy} decides) one per
 * {@link Piece}, which the api's {@link SequenceDriver} runs chunk by chunk; all kept in one
 * bounded {@link GraphCache} until {@link #close()}. Each call copies its Java inputs into native
 * arrays, runs the graph, copies the results back into {@link Tensor}s and closes every native
 * array it created or received, so native memory does not grow from batch to batch.
 *
 * <p>Calls are serialized: a graph's weight arrays are shared by its runs.
 */
final class Dl4jProgram extends CheckedProgram {
    private final Runnable onClose;
    private final GraphCache<Object, TapeGraph> graphs;
    private final SequenceDriver driver;
    private boolean closed;
    /** The whole-sequence training graph of the last step: the only one that keeps working arrays between calls. */
    private TapeGraph lastTraining;

    private record GraphKey(ModelGraph.Mode mode, int timeSteps, boolean withLoss, boolean weighted) {
        @Override
        public String toString() {
            return (mode == ModelGraph.Mode.TRAINING ? "training" : withLoss ? "evaluation" : "inference")
                    + (weighted ? " (sample-weighted)" : "") + " graph for " + timeSteps + " time steps";
        }
    }

    Dl4jProgram(ModelSpec spec, RecurrencePolicy policy, Runnable onClose) {
        super(spec);
        this.onClose = onClose;
        this.graphs =
                new GraphCache<>("dl4j model '" + spec.name() + "'", GraphCache.DEFAULT_CAPACITY, Dl4jProgram::weight);
        this.driver = new SequenceDriver(spec, policy, new Pieces());
    }

    @Override
    protected synchronized Tensor runPredict(Tensor input, int steps, WeightStore weights) {
        checkOpen();
        if (driver.chunks(ModelGraph.Mode.INFERENCE, steps)) {
            return chunked("predict", () -> driver.predict(input, weights));
        }
        TapeGraph g = graph(ModelGraph.Mode.INFERENCE, steps, false, false);
        try (Feed feed = new Feed()) {
            g.upload(weights);
            feed.put(g.built().input(), input);
            try (TapeGraph.Run run = g.forward(feed.arrays)) {
                return toTensor(run.value(g.built().output()));
            }
        } catch (RuntimeException e) {
            throw wrap("predict", e);
        }
    }

    @Override
    protected synchronized Evaluation runEvaluate(
            Tensor input, int steps, Tensor target, Tensor sampleWeight, WeightStore weights) {
        checkOpen();
        // Long sequences run in pieces (sample weights too: the pieces that compute the loss read them).
        if (driver.chunks(ModelGraph.Mode.INFERENCE, steps)) {
            return chunked("evaluate", () -> driver.evaluate(input, target, sampleWeight, weights));
        }
        TapeGraph g = graph(ModelGraph.Mode.INFERENCE, steps, true, sampleWeight != null);
        try (Feed feed = new Feed()) {
            g.upload(weights);
            feed.put(g.built().input(), input);
            feed.put(g.built().target(), target);
            if (sampleWeight != null) {
                feed.put(g.built().sampleWeight(), sampleWeight);
            }
            try (TapeGraph.Run run = g.forward(feed.arrays)) {
                return new Evaluation(
                        run.value(g.built().loss()).getDouble(0),
                        toTensor(run.value(g.built().output())));
            }
        } catch (RuntimeException e) {
            throw wrap("evaluate", e);
        }
    }

    @Override
    protected synchronized StepResult runTrainStep(
            Tensor input,
            int steps,
            Tensor target,
            Tensor sampleWeight,
            WeightStore weights,
            Map<String, Tensor> noise) {
        checkOpen();
        if (driver.chunks(ModelGraph.Mode.TRAINING, steps)) {
            return chunked("trainStep", () -> driver.trainStep(input, target, sampleWeight, weights, noise));
        }
        TapeGraph g = graph(ModelGraph.Mode.TRAINING, steps, true, sampleWeight != null);
        if (lastTraining != null && lastTraining != g) {
            // Only one training graph keeps its fused layers' working arrays (variable lengths would keep one set per
            // length).
            lastTraining.releaseKept();
        }
        lastTraining = g;
        BuiltGraph<TapeOps.Node> b = g.built();
        try (Feed feed = new Feed()) {
            g.upload(weights);
            feed.put(b.input(), input);
            feed.put(b.target(), target);
            if (sampleWeight != null) {
                feed.put(b.sampleWeight(), sampleWeight);
            }
            for (NoiseSpec n : b.noiseSpecs()) {
                feed.put(b.noise().get(n.name()), noise.get(n.name()));
            }
            try (TapeGraph.Run run = g.forward(feed.arrays)) {
                run.backward(b.loss());
                Map<String, Tensor> gradients = new LinkedHashMap<>();
                for (String name : g.trainable()) {
                    INDArray grad = run.gradient(name);
                    // A weight the loss does not reach has a zero gradient, as in Keras.
                    gradients.put(
                            name, grad == null ? Tensor.zeros(weights.spec(name).shapeArray()) : toTensor(grad));
                }
                Map<String, Tensor> stats = new LinkedHashMap<>();
                b.batchStats().forEach((name, v) -> stats.put(name, toTensor(run.value(v))));
                return new StepResult(
                        run.value(b.loss()).getDouble(0),
                        toTensor(run.value(b.output())),
                        Collections.unmodifiableMap(gradients),
                        Collections.unmodifiableMap(stats));
            }
        } catch (RuntimeException e) {
            throw wrap("trainStep", e);
        }
    }

    /** Frees every graph; later calls throw {@link IllegalStateException}. Closing twice is a no-op. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try {
            graphs.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        onClose.run();
        if (failure != null) {
            throw wrap("close", failure);
        }
    }

    /** A graph's weight in the cache: the time steps it unrolls (a head, 1). */
    static int weight(Object key) {
        if (key instanceof Piece p) {
            return Math.max(1, p.steps());
        }
        return Math.max(1, ((GraphKey) key).timeSteps());
    }

    /** How many graphs are built (for tests: once per mode and shape, never per batch). */
    synchronized int graphCount() {
        return graphs.size();
    }

    /** The keys of the graphs kept (for tests). */
    synchronized List<Object> graphKeys() {
        return graphs.keys();
    }

    /** Bytes of working arrays the graphs keep between calls (for tests). */
    synchronized long keptBytes() {
        long[] sum = {0};
        graphs.forEach(g -> sum[0] += g.keptBytes());
        return sum[0];
    }

    /** Element-wise ops the graphs' fused recurrent nodes (LSTM, GRU, SimpleRNN) keep bound to their arrays (for tests). */
    synchronized long keptOps() {
        long[] sum = {0};
        graphs.forEach(g -> sum[0] += g.keptOps());
        return sum[0];
    }

    @Override
    protected synchronized Advance runAdvance(Tensor input, RecurrentState from, WeightStore weights) {
        checkOpen();
        return chunked("advance", () -> driver.advance(input, from, weights));
    }

    @Override
    protected synchronized SegmentResult runTrainSegment(
            Tensor input,
            int steps,
            Tensor target,
            RecurrentState from,
            WeightStore weights,
            Map<String, Tensor> noise,
            int backwardSteps) {
        checkOpen();
        return chunked("trainSegment", () -> driver.trainSegment(input, target, from, weights, noise, backwardSteps));
    }

    /** Runs a call of the driver; engine failures are wrapped once, bad arguments pass as they are. */
    private <T> T chunked(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw wrap(what, e);
        }
    }

    /**
     * The whole-sequence graph for a key. The cache is only touched under this program's lock, so a
     * graph returned here stays open until the call ends.
     */
    private TapeGraph graph(ModelGraph.Mode mode, int steps, boolean withLoss, boolean weighted) {
        return cached(new GraphKey(mode, steps, withLoss, weighted));
    }

    private TapeGraph cached(Object key) {
        try (GraphCache.Lease<TapeGraph> lease = graphs.lease(key, this::build)) {
            return lease.graph();
        }
    }

    private TapeGraph build(Object key) {
        try {
            if (key instanceof Piece p) {
                return TapeGraph.forPiece(spec, p, true);
            }
            GraphKey k = (GraphKey) key;
            return k.weighted()
                    ? TapeGraph.forWeightedModel(spec, k.mode(), k.timeSteps())
                    : TapeGraph.forModel(spec, k.mode(), k.timeSteps(), k.withLoss());
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw wrap("building the " + key, e);
        }
    }

    /** Runs the driver's pieces on ND4J (called under this program's lock, from the driver). */
    private final class Pieces implements PieceRunner {
        @Override
        public Map<String, Tensor> forward(
                Piece piece, Map<String, Tensor> inputs, WeightStore weights, Collection<String> fetch) {
            TapeGraph g = cached(piece);
            BuiltPiece<TapeOps.Node> b = g.piece();
            try (Feed feed = new Feed()) {
                g.upload(weights);
                feedInputs(feed, b, inputs);
                List<TapeOps.Node> outs = fetch.stream().map(n -> output(b, n)).toList();
                // A training piece run only forwards is the first of a chunk's two runs: its hidden states
                // save the second one (the backward run's recomputation) its loop.
                TapeRnn.Recall recall =
                        piece.mode() == ModelGraph.Mode.TRAINING ? TapeRnn.Recall.REMEMBER : TapeRnn.Recall.NONE;
                try (TapeGraph.Run run = g.forward(feed.arrays, outs, recall)) {
                    Map<String, Tensor> out = new LinkedHashMap<>();
                    for (String n : fetch) {
                        out.put(n, toTensor(run.value(b.outputs().get(n))));
                    }
                    return out;
                }
            }
        }

        @Override
        public Gradients backward(
                Piece piece,
                Map<String, Tensor> inputs,
                WeightStore weights,
                Map<String, Tensor> seeds,
                Collection<String> fetch) {
            TapeGraph g = cached(piece);
            BuiltPiece<TapeOps.Node> b = g.piece();
            try (Feed feed = new Feed();
                    Feed seedArrays = new Feed()) {
                g.upload(weights);
                feedInputs(feed, b, inputs);
                List<TapeOps.Node> needed = new ArrayList<>();
                Map<TapeOps.Node, INDArray> seedMap = new HashMap<>();
                for (String n : b.seeds()) {
                    Tensor t = seeds.get(n);
                    if (t == null) {
                        throw new IllegalArgumentException("no seed for output '" + n + "' of the " + piece);
                    }
                    TapeOps.Node node = output(b, n);
                    needed.add(node);
                    seedArrays.put(node, t);
                    seedMap.put(node, seedArrays.arrays.get(node));
                }
                fetch.forEach(n -> needed.add(output(b, n)));
                try (TapeGraph.Run run = g.forward(feed.arrays, needed, TapeRnn.Recall.RECALL)) {
                    run.backward(seedMap);
                    Map<String, Tensor> out = new LinkedHashMap<>();
                    for (String n : fetch) {
                        out.put(n, toTensor(run.value(b.outputs().get(n))));
                    }
                    Map<String, Tensor> dw = new LinkedHashMap<>();
                    for (String name : g.trainable()) {
                        INDArray grad = run.gradient(name);
                        if (grad != null) {
                            dw.put(name, toTensor(grad));
                        }
                    }
                    Map<String, Tensor> din = new LinkedHashMap<>();
                    for (String n : b.differentiable()) {
                        INDArray grad = run.gradient(b.inputs().get(n));
                        din.put(n, grad == null ? Tensor.zeros(inputs.get(n).shape()) : toTensor(grad));
                    }
                    return new Gradients(out, dw, din);
                }
            }
        }

        private static TapeOps.Node output(BuiltPiece<TapeOps.Node> b, String name) {
            TapeOps.Node n = b.outputs().get(name);
            if (n == null) {
                throw new IllegalArgumentException("the piece has no output '" + name + "'; it has "
                        + b.outputs().keySet());
            }
            return n;
        }

        private static void feedInputs(Feed feed, BuiltPiece<TapeOps.Node> b, Map<String, Tensor> inputs) {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                TapeOps.Node node = b.inputs().get(e.getKey());
                if (node != null) {
                    feed.put(node, e.getValue());
                }
            }
        }
    }

    private BackendException wrap(String what, RuntimeException e) {
        if (e instanceof BackendException be) {
            return be;
        }
        return new BackendException(
                "dl4j", what + " of model '" + spec.name() + "' failed in ND4J: " + e.getMessage(), e);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(
                    "the dl4j program of model '" + spec.name() + "' is closed; compile the model again");
        }
    }

    /** A row-major copy of a native array as a float32 api tensor. */
    static Tensor toTensor(INDArray a) {
        int[] shape = Arrays.stream(a.shape()).mapToInt(Math::toIntExact).toArray();
        if (a.dataType() == DataType.FLOAT
                && a.ordering() == 'c'
                && !a.isView()
                && a.offset() == 0
                && a.data().length() == a.length()) {
            return Tensor.wrap(a.data().asFloat(), shape); // a fresh Java copy already
        }
        INDArray c = a.dup('c');
        try {
            float[] data = c.dataType() == DataType.FLOAT
                    ? c.data().asFloat()
                    : c.castTo(DataType.FLOAT).data().asFloat();
            return Tensor.wrap(
                    Arrays.copyOf(data, (int) c.length()),
                    Arrays.stream(a.shape()).mapToInt(Math::toIntExact).toArray());
        } finally {
            c.close();
        }
    }

    /** The native input arrays of one call, freed when it ends. */
    private static final class Feed implements AutoCloseable {
        final Map<TapeOps.Node, INDArray> arrays = new HashMap<>();

        void put(TapeOps.Node node, Tensor t) {
            long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
            INDArray a = t.dtype() == DType.INT32
                    ? Nd4j.create(t.intView(), shape, DataType.INT32)
                    : Nd4j.create(t.floatView(), shape, 'c');
            arrays.put(node, a);
        }

        @Override
        public void close() {
            for (INDArray a : arrays.values()) {
                if (a.closeable() && !a.wasClosed()) {
                    a.close();
                }
            }
        }
    }
}
