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
import org.rnn4j.api.backend.GraphCache;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.graph.BuiltGraph;
import org.rnn4j.api.graph.BuiltPiece;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.graph.Piece;
import org.rnn4j.api.layers.EmbeddingSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
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
final class Dl4jProgram implements Program {
    private final ModelSpec spec;
    private final Runnable onClose;
    private final GraphCache<Object, TapeGraph> graphs;
    private final SequenceDriver driver;
    private final int vocabulary;
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
        this.spec = spec;
        this.onClose = onClose;
        this.vocabulary = spec.layers().get(0) instanceof EmbeddingSpec e ? e.inputDim() : -1;
        this.graphs =
                new GraphCache<>("dl4j model '" + spec.name() + "'", GraphCache.DEFAULT_CAPACITY, Dl4jProgram::weight);
        this.driver = new SequenceDriver(spec, policy, new Pieces());
    }

    @Override
    public synchronized Tensor predict(Tensor input, WeightStore weights) {
        checkOpen();
        int steps = checkInput(input);
        checkWeights(weights);
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
    public Evaluation evaluate(Tensor input, Tensor target, WeightStore weights) {
        return evaluate(input, target, null, weights);
    }

    @Override
    public synchronized Evaluation evaluate(Tensor input, Tensor target, Tensor sampleWeight, WeightStore weights) {
        checkOpen();
        int steps = checkInput(input);
        checkTarget(target, input.dim(0), steps);
        checkSampleWeight(sampleWeight, input.dim(0), steps);
        checkWeights(weights);
        // Long sequences run in pieces; sample weights are read by the whole-sequence graph only.
        if (sampleWeight == null && driver.chunks(ModelGraph.Mode.INFERENCE, steps)) {
            return chunked("evaluate", () -> driver.evaluate(input, target, weights));
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
    public StepResult trainStep(Tensor input, Tensor target, WeightStore weights, Map<String, Tensor> noise) {
        return trainStep(input, target, null, weights, noise);
    }

    @Override
    public synchronized StepResult trainStep(
            Tensor input, Tensor target, Tensor sampleWeight, WeightStore weights, Map<String, Tensor> noise) {
        checkOpen();
        int steps = checkInput(input);
        checkTarget(target, input.dim(0), steps);
        checkSampleWeight(sampleWeight, input.dim(0), steps);
        checkWeights(weights);
        if (sampleWeight == null && driver.chunks(ModelGraph.Mode.TRAINING, steps)) {
            checkNoise(ModelGraph.noiseSpecs(spec, steps), noise == null ? Map.of() : noise, input.dim(0));
            return chunked("trainStep", () -> driver.trainStep(input, target, weights, noise));
        }
        TapeGraph g = graph(ModelGraph.Mode.TRAINING, steps, true, sampleWeight != null);
        if (lastTraining != null && lastTraining != g) {
            // Only one training graph keeps its fused LSTMs' working arrays (variable lengths would keep one set per
            // length).
            lastTraining.releaseKept();
        }
        lastTraining = g;
        BuiltGraph<TapeOps.Node> b = g.built();
        checkNoise(b.noiseSpecs(), noise == null ? Map.of() : noise, input.dim(0));
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

    @Override
    public synchronized Advance advance(Tensor input, RecurrentState from, WeightStore weights) {
        checkOpen();
        checkInput(input, true);
        checkWeights(weights);
        return chunked("advance", () -> driver.advance(input, from, weights));
    }

    @Override
    public synchronized SegmentResult trainSegment(
            Tensor input,
            Tensor target,
            RecurrentState from,
            WeightStore weights,
            Map<String, Tensor> noise,
            int backwardSteps) {
        checkOpen();
        int steps = checkInput(input, true);
        checkTarget(target, input.dim(0), steps);
        checkWeights(weights);
        checkNoise(ModelGraph.noiseSpecs(spec, steps), noise == null ? Map.of() : noise, input.dim(0));
        return chunked(
                "trainSegment",
                () -> driver.trainSegment(
                        input, target, from, weights, noise == null ? Map.of() : noise, backwardSteps));
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
                try (TapeGraph.Run run = g.forward(feed.arrays, outs)) {
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
                try (TapeGraph.Run run = g.forward(feed.arrays, needed)) {
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

    /** Checks the input against the spec; returns the time steps of this batch (the spec's when fixed). */
    private int checkInput(Tensor input) {
        return checkInput(input, false);
    }

    /**
     * @param anyLength accept any time length (a stream's steps, a truncated-BPTT segment), whatever the
     *                  model declares; then the input's own length is returned
     */
    private int checkInput(Tensor input, boolean anyLength) {
        if (input == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        List<Integer> want = spec.inputShape();
        int[] got = input.shape();
        if (input.dtype() != spec.inputDType()) {
            throw new IllegalArgumentException(
                    "model '" + spec.name() + "' takes " + spec.inputDType().jsonName() + " input, got "
                            + input.dtype().jsonName());
        }
        boolean ok = got.length == want.size() + 1 && got[0] > 0;
        for (int i = 0; ok && i < want.size(); i++) {
            ok = ((want.get(i) == -1 || (i == 0 && anyLength)) ? got[i + 1] > 0 : got[i + 1] == want.get(i));
        }
        if (!ok) {
            throw new IllegalArgumentException("model '" + spec.name() + "' takes input [batch, " + joined(want)
                    + "] (-1 = any length), got " + Arrays.toString(got));
        }
        if (vocabulary > 0) {
            for (int id : input.intView()) {
                if (id < 0 || id >= vocabulary) {
                    throw new IllegalArgumentException("token id " + id + " is outside the embedding vocabulary [0, "
                            + vocabulary + ") of model '" + spec.name() + "'");
                }
            }
        }
        if (anyLength) {
            return got[1];
        }
        return want.contains(-1) ? got[1] : (want.size() == 2 || spec.inputDType() == DType.INT32 ? want.get(0) : 1);
    }

    private void checkTarget(Tensor target, int batch, int steps) {
        if (target == null) {
            throw new IllegalArgumentException("target must not be null");
        }
        boolean sparse = spec.compile().loss().sparseTargets();
        List<Integer> out = new ArrayList<>(spec.outputShape());
        if (out.size() >= 2) {
            int declaredOut = out.get(0);
            if (declaredOut == spec.inputShape().get(0)) {
                out.set(0, steps); // a sequence output is as long as the input (read at any length)
            } else if (declaredOut == -1) {
                // The model changes the time axis by an amount only the graph knows: the target's own.
                out.set(0, target.rank() > 1 ? target.dim(1) : steps);
            } // else a fixed length of its own (RepeatVector, strided convolutions, pooling)
        }
        if (sparse) {
            out.remove(out.size() - 1);
        }
        int[] want = new int[out.size() + 1];
        want[0] = batch;
        for (int i = 0; i < out.size(); i++) {
            want[i + 1] = out.get(i);
        }
        DType dtype = sparse ? DType.INT32 : DType.FLOAT32;
        if (target.dtype() != dtype || !Arrays.equals(want, target.shape())) {
            throw new IllegalArgumentException("loss " + spec.compile().loss().jsonName() + " of model '" + spec.name()
                    + "' needs a " + dtype.jsonName() + " target of shape " + Arrays.toString(want) + ", got "
                    + target.dtype().jsonName() + " " + Arrays.toString(target.shape()));
        }
    }

    private void checkSampleWeight(Tensor sampleWeight, int batch, int steps) {
        if (sampleWeight == null) {
            return;
        }
        List<Integer> per = ModelGraph.sampleWeightShape(spec, steps);
        int[] want = new int[per.size() + 1];
        want[0] = batch;
        for (int i = 0; i < per.size(); i++) {
            want[i + 1] = per.get(i);
        }
        if (sampleWeight.dtype() != DType.FLOAT32 || !Arrays.equals(want, sampleWeight.shape())) {
            throw new IllegalArgumentException("sample weight of model '" + spec.name() + "' must be float32 "
                    + Arrays.toString(want) + " (one weight per value of the loss), got "
                    + sampleWeight.dtype().jsonName() + " " + Arrays.toString(sampleWeight.shape()));
        }
    }

    private void checkWeights(WeightStore weights) {
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        for (WeightSpec w : spec.weights()) {
            if (!weights.contains(w.name())
                    || !Arrays.equals(weights.spec(w.name()).shapeArray(), w.shapeArray())) {
                throw new IllegalArgumentException(
                        "the weight store does not match model '" + spec.name() + "': it needs " + w + ", has "
                                + (weights.contains(w.name()) ? weights.spec(w.name()) : "no such weight"));
            }
        }
    }

    private static void checkNoise(List<NoiseSpec> specs, Map<String, Tensor> noise, int batch) {
        List<String> names = specs.stream().map(NoiseSpec::name).toList();
        for (String name : noise.keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("unknown dropout mask '" + name + "'; this model reads " + names);
            }
        }
        for (NoiseSpec n : specs) {
            Tensor t = noise.get(n.name());
            int[] want = n.shapeWithBatch(batch);
            if (t == null || t.dtype() != DType.FLOAT32 || !Arrays.equals(want, t.shape())) {
                throw new IllegalArgumentException("dropout mask '" + n.name() + "' must be a float32 tensor of shape "
                        + Arrays.toString(want) + ", got "
                        + (t == null ? "none" : t.dtype().jsonName() + " " + Arrays.toString(t.shape()))
                        + "; draw the masks with ModelGraph.noiseSpecs");
            }
        }
    }

    private static String joined(List<Integer> dims) {
        return String.join(", ", dims.stream().map(String::valueOf).toList());
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
