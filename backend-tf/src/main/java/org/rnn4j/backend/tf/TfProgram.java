package org.rnn4j.backend.tf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rnn4j.api.backend.BackendException;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.graph.ModelGraph.Mode;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TFUnimplementedException;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.ConfigProto;

/**
 * A model compiled for TensorFlow. Graphs are built on first use, one per (mode, time steps,
 * loss) and kept until {@link #close()}: a model trained on windows of 50 steps builds one
 * training graph, one evaluation graph and one prediction graph, whatever the number of batches.
 *
 * <p>Thread-safe: any number of threads may call {@link #predict} (and {@link #evaluate}) at
 * once; sessions are thread-safe and a graph is complete before its session runs. {@link #close()}
 * waits for running calls; later calls throw {@link IllegalStateException}.
 */
final class TfProgram implements Program {
    private final ModelSpec spec;
    private final ConfigProto config;
    private final Consumer<TfProgram> onClose;
    private final boolean unknownTime;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Written under the write lock, read under the read lock. */
    private boolean closed;

    private final Map<GraphKey, TfGraph> graphs = new ConcurrentHashMap<>();
    private final Object buildLock = new Object();
    private final Object weightsLock = new Object();
    /** Guarded by weightsLock. */
    private TfWeights uploaded;

    private final boolean fusedLstm;

    TfProgram(ModelSpec spec, ConfigProto config, Consumer<TfProgram> onClose) {
        this(spec, config, onClose, true);
    }

    /** @param fusedLstm whether qualifying LSTMs run as TensorFlow's fused op ({@link TfOps#lstm}); tests compare both */
    TfProgram(ModelSpec spec, ConfigProto config, Consumer<TfProgram> onClose, boolean fusedLstm) {
        this.spec = spec;
        this.config = config;
        this.onClose = onClose;
        this.unknownTime = spec.inputShape().get(0) == -1;
        this.fusedLstm = fusedLstm;
    }

    /** Which graph a call needs. */
    private record GraphKey(Mode mode, int timeSteps, boolean withLoss, boolean weighted) {
        GraphKey(Mode mode, int timeSteps, boolean withLoss) {
            this(mode, timeSteps, withLoss, false);
        }

        @Override
        public String toString() {
            return (mode == Mode.TRAINING ? "training" : withLoss ? "evaluation" : "inference") + " graph for "
                    + timeSteps + " time steps" + (weighted ? ", samples weighted" : "");
        }
    }

    @Override
    public Tensor predict(Tensor input, WeightStore weights) {
        require(input, "input");
        require(weights, "weights");
        return call(() -> {
            checkInput(input);
            TfGraph g = graph(new GraphKey(Mode.INFERENCE, timeSteps(input), false));
            return run(
                            g,
                            input,
                            null,
                            null,
                            Map.of(),
                            weights,
                            List.of(g.built().output()))
                    .get(0);
        });
    }

    @Override
    public Evaluation evaluate(Tensor input, Tensor target, WeightStore weights) {
        return evaluate(input, target, null, weights);
    }

    @Override
    public Evaluation evaluate(Tensor input, Tensor target, Tensor sampleWeight, WeightStore weights) {
        require(input, "input");
        require(target, "target");
        require(weights, "weights");
        return call(() -> {
            checkInput(input);
            TfGraph g = graph(new GraphKey(Mode.INFERENCE, timeSteps(input), true, sampleWeight != null));
            checkTarget(target, g, input.dim(0));
            checkSampleWeight(sampleWeight, g, input.dim(0));
            List<Tensor> out = run(
                    g,
                    input,
                    target,
                    sampleWeight,
                    Map.of(),
                    weights,
                    List.of(g.built().loss(), g.built().output()));
            return new Evaluation(out.get(0).getDouble(0), out.get(1));
        });
    }

    @Override
    public StepResult trainStep(Tensor input, Tensor target, WeightStore weights, Map<String, Tensor> noise) {
        return trainStep(input, target, null, weights, noise);
    }

    @Override
    public StepResult trainStep(
            Tensor input, Tensor target, Tensor sampleWeight, WeightStore weights, Map<String, Tensor> noise) {
        require(input, "input");
        require(target, "target");
        require(weights, "weights");
        if (noise == null) {
            throw new IllegalArgumentException("noise must not be null; pass Map.of() for a model without dropout");
        }
        return call(() -> {
            checkInput(input);
            TfGraph g = graph(new GraphKey(Mode.TRAINING, timeSteps(input), true, sampleWeight != null));
            checkTarget(target, g, input.dim(0));
            checkSampleWeight(sampleWeight, g, input.dim(0));
            checkNoise(noise, g, input.dim(0));
            List<Operand<?>> fetches = new ArrayList<>();
            fetches.add(g.built().loss());
            fetches.add(g.built().output());
            g.gradients().values().forEach(fetches::add);
            fetches.addAll(g.built().batchStats().values());
            List<Tensor> out = run(g, input, target, sampleWeight, noise, weights, fetches);
            int k = 2;
            Map<String, Tensor> gradients = new LinkedHashMap<>();
            for (String name : g.gradients().keySet()) {
                gradients.put(name, out.get(k++).reshape(weights.spec(name).shapeArray()));
            }
            Map<String, Tensor> batchStats = new LinkedHashMap<>();
            for (String name : g.built().batchStats().keySet()) {
                batchStats.put(name, out.get(k++));
            }
            return new StepResult(
                    out.get(0).getDouble(0),
                    out.get(1),
                    Collections.unmodifiableMap(gradients),
                    Collections.unmodifiableMap(batchStats));
        });
    }

    /** Closes every session and graph and the uploaded weights, after running calls finish. Idempotent. */
    @Override
    public void close() {
        Lock write = lifecycle.writeLock();
        write.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                for (TfGraph g : graphs.values()) {
                    g.close();
                }
            } finally {
                graphs.clear();
                synchronized (weightsLock) {
                    if (uploaded != null) {
                        uploaded.release();
                        uploaded = null;
                    }
                }
            }
        } finally {
            write.unlock();
        }
        onClose.accept(this);
    }

    /** How many graphs are built and open; for tests of the cache. */
    int graphCount() {
        return graphs.size();
    }

    private <T> T call(Supplier<T> body) {
        Lock read = lifecycle.readLock();
        read.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the TensorFlow program of model '" + spec.name()
                        + "' is closed; compile the model again with a backend that is still open");
            }
            return body.get();
        } finally {
            read.unlock();
        }
    }

    private int timeSteps(Tensor input) {
        return unknownTime ? input.dim(1) : spec.inputShape().get(0);
    }

    private TfGraph graph(GraphKey key) {
        TfGraph g = graphs.get(key);
        if (g != null) {
            return g;
        }
        synchronized (buildLock) {
            g = graphs.get(key);
            if (g == null) {
                try {
                    g = TfGraph.build(
                            spec,
                            key.mode(),
                            key.timeSteps(),
                            key.withLoss(),
                            key.weighted(),
                            key.mode() == Mode.TRAINING,
                            config,
                            key.toString(),
                            fusedLstm);
                } catch (TensorFlowException | TFInvalidArgumentException | TFUnimplementedException e) {
                    throw new BackendException(
                            "tf",
                            "building the " + key + " of model '" + spec.name() + "' failed: " + e.getMessage(),
                            e);
                } catch (LinkageError e) {
                    throw new BackendException(
                            "tf",
                            "TensorFlow's native library could not be loaded on " + System.getProperty("os.name") + "/"
                                    + System.getProperty("os.arch") + " (" + e + "); choose another backend",
                            e);
                }
                graphs.put(key, g);
            }
            return g;
        }
    }

    private List<Tensor> run(
            TfGraph g,
            Tensor input,
            Tensor target,
            Tensor sampleWeight,
            Map<String, Tensor> noise,
            WeightStore store,
            List<Operand<?>> fetches) {
        TfWeights weights = acquireWeights(store);
        List<org.tensorflow.Tensor> fed = new ArrayList<>();
        try {
            Session.Runner runner = g.session().runner();
            runner.feed(g.built().input(), feed(fed, input));
            if (target != null) {
                runner.feed(g.built().target(), feed(fed, target));
            }
            if (sampleWeight != null) {
                runner.feed(g.built().sampleWeight(), feed(fed, sampleWeight));
            }
            for (Map.Entry<String, Tensor> e : noise.entrySet()) {
                runner.feed(g.built().noise().get(e.getKey()), feed(fed, e.getValue()));
            }
            for (Map.Entry<String, Operand<?>> e : g.built().weights().entrySet()) {
                runner.feed(e.getValue(), weights.tensor(e.getKey()));
            }
            // A Result rejects the same output fetched twice (and would leak the tensors), so fetch each once.
            List<Output<?>> distinct = new ArrayList<>();
            int[] index = new int[fetches.size()];
            for (int k = 0; k < fetches.size(); k++) {
                Output<?> o = fetches.get(k).asOutput();
                int at = distinct.indexOf(o);
                if (at < 0) {
                    at = distinct.size();
                    distinct.add(o);
                    runner.fetch(o);
                }
                index[k] = at;
            }
            try (Result result = runner.run()) {
                List<Tensor> copies = new ArrayList<>(distinct.size());
                for (int k = 0; k < distinct.size(); k++) {
                    copies.add(TfTensors.toApi(result.get(k)));
                }
                List<Tensor> out = new ArrayList<>(index.length);
                for (int at : index) {
                    out.add(copies.get(at));
                }
                return out;
            }
        } catch (TensorFlowException | TFInvalidArgumentException | TFUnimplementedException e) {
            throw new BackendException(
                    "tf",
                    "running the " + g.description() + " of model '" + spec.name() + "' failed: " + e.getMessage(),
                    e);
        } finally {
            for (org.tensorflow.Tensor t : fed) {
                t.close();
            }
            weights.release();
        }
    }

    private static org.tensorflow.Tensor feed(List<org.tensorflow.Tensor> owned, Tensor t) {
        org.tensorflow.Tensor native_ = TfTensors.toTf(t);
        owned.add(native_);
        return native_;
    }

    /** The native copy of the store's current version, retained for one call; the caller releases it. */
    private TfWeights acquireWeights(WeightStore store) {
        synchronized (weightsLock) {
            if (uploaded == null || !uploaded.isCopyOf(store)) {
                TfWeights fresh = TfWeights.upload(store, spec.weights());
                if (uploaded != null) {
                    uploaded.release();
                }
                uploaded = fresh;
            }
            uploaded.retain();
            return uploaded;
        }
    }

    private static void require(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    private void checkInput(Tensor input) {
        List<Integer> s = spec.inputShape();
        boolean ok = input.dtype() == spec.inputDType() && input.rank() == s.size() + 1 && input.dim(0) > 0;
        for (int k = 0; ok && k < s.size(); k++) {
            ok = s.get(k) == -1 ? input.dim(k + 1) > 0 : input.dim(k + 1) == s.get(k);
        }
        if (!ok) {
            StringBuilder want = new StringBuilder("[batch");
            for (int k = 0; k < s.size(); k++) {
                want.append(", ").append(s.get(k) == -1 ? "time" : s.get(k).toString());
            }
            want.append(']');
            throw new IllegalArgumentException("input is " + input.dtype().jsonName() + " "
                    + Arrays.toString(input.shape()) + " but model '" + spec.name() + "' takes "
                    + spec.inputDType().jsonName() + " " + want + " with every dimension >= 1");
        }
    }

    private void checkTarget(Tensor target, TfGraph g, int batch) {
        int[] want = withBatch(g.built().target().shape().asArray(), batch);
        DType dtype = spec.compile().loss().sparseTargets() ? DType.INT32 : DType.FLOAT32;
        if (target.dtype() != dtype || !Arrays.equals(target.shape(), want)) {
            throw new IllegalArgumentException("target is " + target.dtype().jsonName() + " "
                    + Arrays.toString(target.shape())
                    + " but model '" + spec.name() + "' with loss "
                    + spec.compile().loss().jsonName() + " needs " + dtype.jsonName() + " "
                    + Arrays.toString(want) + (dtype == DType.INT32 ? " (class ids)" : " (the output's shape)"));
        }
    }

    private void checkSampleWeight(Tensor sampleWeight, TfGraph g, int batch) {
        if (sampleWeight == null) {
            return;
        }
        int[] want = withBatch(g.built().sampleWeight().shape().asArray(), batch);
        if (sampleWeight.dtype() != DType.FLOAT32 || !Arrays.equals(sampleWeight.shape(), want)) {
            throw new IllegalArgumentException(
                    "sample weight is " + sampleWeight.dtype().jsonName() + " "
                            + Arrays.toString(sampleWeight.shape()) + " but model '" + spec.name() + "' needs float32 "
                            + Arrays.toString(want) + " (one weight per value of the loss)");
        }
    }

    private void checkNoise(Map<String, Tensor> noise, TfGraph g, int batch) {
        Set<String> needed = g.built().noise().keySet();
        if (!noise.keySet().equals(needed)) {
            throw new IllegalArgumentException(
                    "noise has masks " + noise.keySet() + " but the training graph of model '" + spec.name()
                            + "' reads exactly " + needed + "; draw them from ModelGraph.noiseSpecs");
        }
        for (NoiseSpec n : g.built().noiseSpecs()) {
            Tensor mask = noise.get(n.name());
            int[] want = n.shapeWithBatch(batch);
            if (mask.dtype() != DType.FLOAT32 || !Arrays.equals(mask.shape(), want)) {
                throw new IllegalArgumentException(
                        "noise '" + n.name() + "' is " + mask.dtype().jsonName() + " " + Arrays.toString(mask.shape())
                                + " but needs float32 " + Arrays.toString(want));
            }
        }
    }

    private static int[] withBatch(long[] shape, int batch) {
        int[] s = new int[shape.length];
        for (int k = 0; k < shape.length; k++) {
            s[k] = k == 0 ? batch : Math.toIntExact(shape[k]);
        }
        return s;
    }
}
