package org.rnn4j.backend.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rnn4j.api.backend.BackendException;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.graph.BuiltGraph;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.layers.EmbeddingSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * A model compiled for ND4J. Graphs ({@link TapeGraph}) are built lazily, once per (mode, time steps, with loss),
 * and kept until {@link #close()}. Each call copies its Java inputs into native arrays, runs the
 * graph, copies the results back into {@link Tensor}s and closes every native array it created or
 * received, so native memory does not grow from batch to batch.
 *
 * <p>Calls are serialized: a graph's weight arrays are shared by its runs.
 */
final class Dl4jProgram implements Program {
    private final ModelSpec spec;
    private final Runnable onClose;
    private final Map<GraphKey, TapeGraph> graphs = new HashMap<>();
    private final int vocabulary;
    private boolean closed;
    /** The training graph of the last step: the only one that keeps working arrays between calls. */
    private TapeGraph lastTraining;

    private record GraphKey(ModelGraph.Mode mode, int timeSteps, boolean withLoss) {}

    Dl4jProgram(ModelSpec spec, Runnable onClose) {
        this.spec = spec;
        this.onClose = onClose;
        this.vocabulary = spec.layers().get(0) instanceof EmbeddingSpec e ? e.inputDim() : -1;
    }

    @Override
    public synchronized Tensor predict(Tensor input, WeightStore weights) {
        checkOpen();
        int steps = checkInput(input);
        checkWeights(weights);
        TapeGraph g = graph(ModelGraph.Mode.INFERENCE, steps, false);
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
    public synchronized Evaluation evaluate(Tensor input, Tensor target, WeightStore weights) {
        checkOpen();
        int steps = checkInput(input);
        checkTarget(target, input.dim(0), steps);
        checkWeights(weights);
        TapeGraph g = graph(ModelGraph.Mode.INFERENCE, steps, true);
        try (Feed feed = new Feed()) {
            g.upload(weights);
            feed.put(g.built().input(), input);
            feed.put(g.built().target(), target);
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
    public synchronized StepResult trainStep(
            Tensor input, Tensor target, WeightStore weights, Map<String, Tensor> noise) {
        checkOpen();
        int steps = checkInput(input);
        checkTarget(target, input.dim(0), steps);
        checkWeights(weights);
        TapeGraph g = graph(ModelGraph.Mode.TRAINING, steps, true);
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
        for (TapeGraph g : graphs.values()) {
            try {
                g.close();
            } catch (RuntimeException e) {
                // Keep freeing the other graphs; report the first failure once all are closed.
                failure = failure == null ? e : failure;
            }
        }
        graphs.clear();
        onClose.run();
        if (failure != null) {
            throw wrap("close", failure);
        }
    }

    /** How many graphs are built (for tests: once per mode and shape, never per batch). */
    synchronized int graphCount() {
        return graphs.size();
    }

    /** Bytes of working arrays the graphs keep between calls (for tests). */
    synchronized long keptBytes() {
        return graphs.values().stream().mapToLong(TapeGraph::keptBytes).sum();
    }

    private TapeGraph graph(ModelGraph.Mode mode, int steps, boolean withLoss) {
        GraphKey key = new GraphKey(mode, steps, withLoss);
        TapeGraph g = graphs.get(key);
        if (g == null) {
            try {
                g = TapeGraph.forModel(spec, mode, steps, withLoss);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (RuntimeException e) {
                throw wrap("building the " + mode.name().toLowerCase(java.util.Locale.ROOT) + " graph", e);
            }
            graphs.put(key, g);
        }
        return g;
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
            ok = (want.get(i) == -1 ? got[i + 1] > 0 : got[i + 1] == want.get(i));
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
        return want.contains(-1) ? got[1] : (want.size() == 2 || spec.inputDType() == DType.INT32 ? want.get(0) : 1);
    }

    private void checkTarget(Tensor target, int batch, int steps) {
        if (target == null) {
            throw new IllegalArgumentException("target must not be null");
        }
        boolean sparse = spec.compile().loss().sparseTargets();
        List<Integer> out = new ArrayList<>(spec.outputShape());
        out.replaceAll(d -> d < 0 ? steps : d);
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
