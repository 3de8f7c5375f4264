package org.rnn4j.backend.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rnn4j.api.graph.BuiltGraph;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.weights.WeightStore;

/**
 * One SameDiff graph of a model for one (mode, time steps, with loss) key, with the native arrays
 * of its weights and the one execution session every call of this graph runs in.
 *
 * <p>Training graphs get their gradient function when they are built (not on the first step), and
 * every call, forward or backward, runs through {@link SameDiff#output} of the function it needs
 * (the graph itself, or its gradient function {@code "grad"}) in a {@link LeanSession} with the
 * array cache on. SameDiff's own {@code calculateGradientsAndOutputs} switches the cache off for
 * gradient runs, so every activation of every step was a fresh native allocation whose release was
 * left to the caller (and to glibc), and its {@link InferenceSession} remembers the id of every
 * array it ever released, a set that grows by one entry per op run and is never cleared. See
 * {@link LeanSession} for both fixes.
 *
 * <p>The weight arrays are allocated once and overwritten in place when the {@link WeightStore}
 * changes: SameDiff's gradient function holds the array objects it found when it was cloned from
 * this graph, so replacing them would leave it on stale values.
 */
final class Dl4jGraph implements AutoCloseable {
    private final SameDiff sd;
    /** The function the calls run: the gradient function for training graphs, else {@link #sd}. */
    private final SameDiff runner;
    private final LeanSession session;
    private final BuiltGraph<SDVariable> built;
    private final Map<String, INDArray> weightArrays = new LinkedHashMap<>();
    private final List<String> trainable = new ArrayList<>();
    /** Trainable weight name to the name of its gradient in {@link #runner}; absent: the loss does not reach it. */
    private final Map<String, String> gradientNames = new LinkedHashMap<>();
    private WeightStore uploadedStore;
    private long uploadedVersion = -1;

    Dl4jGraph(ModelSpec spec, ModelGraph.Mode mode, int timeSteps, boolean withLoss) {
        Dl4jRuntime.configure();
        this.sd = SameDiff.create();
        // Only training graphs need a gather with a working gradient. The fused LSTM op is for graphs
        // that are never differentiated: its gradient op leaks native memory in 1.0.0-M2.1.
        boolean training = mode == ModelGraph.Mode.TRAINING;
        SameDiffOps ops = new SameDiffOps(sd, training, !training);
        this.built = ModelGraph.build(spec, ops, mode, timeSteps, withLoss);
        for (WeightSpec w : spec.weights()) {
            INDArray arr = Nd4j.create(DataType.FLOAT, Arrays.stream(w.shapeArray()).asLongStream().toArray());
            built.weights().get(w.name()).setArray(arr);
            weightArrays.put(w.name(), arr);
            if (w.trainable()) {
                trainable.add(w.name());
            }
        }
        if (built.loss() != null) {
            sd.setLossVariables(built.loss());
        }
        if (mode == ModelGraph.Mode.TRAINING && built.loss() != null) {
            // SameDiff 1.0.0-M2.1 prints one "Added differentiated op" line per op to System.out.
            Dl4jRuntime.withoutSameDiffChatter(sd::createGradFunction);
            this.runner = sd.getFunction("grad");
            for (String name : trainable) {
                SDVariable g = sd.getVariable(name).getGradient();
                if (g != null) {
                    gradientNames.put(name, g.name());
                }
            }
        } else {
            this.runner = sd;
        }
        this.session = new LeanSession(runner);
    }

    BuiltGraph<SDVariable> built() {
        return built;
    }

    /** Names of the weights the optimizer updates, in Keras order. */
    List<String> trainable() {
        return trainable;
    }

    /** The gradient variable of a trainable weight, or null when the loss does not depend on it. */
    String gradientName(String weight) {
        return gradientNames.get(weight);
    }

    /**
     * Runs the graph (or, for training graphs, the forward and backward pass) for the named values.
     * The returned arrays are the caller's to close; placeholders stay the caller's too.
     */
    Map<String, INDArray> run(Map<String, INDArray> placeholders, List<String> outputs) {
        // Every call runs in this graph's one session, whichever thread makes it (calls are serialized).
        Map<Long, InferenceSession> sessions = runner.getSessions();
        long thread = Thread.currentThread().getId();
        if (sessions.size() != 1 || sessions.get(thread) != session) {
            sessions.clear();
            sessions.put(thread, session);
        }
        runner.setEnableCache(true);
        return runner.output(placeholders, outputs.toArray(new String[0]));
    }

    /** Copies the weights into the graph's arrays unless this store at this version is already there. */
    void upload(WeightStore store) {
        if (store == uploadedStore && store.version() == uploadedVersion) {
            return;
        }
        long version = store.version();
        for (String name : weightArrays.keySet()) {
            INDArray source = null;
            try {
                for (INDArray target : liveArrays(name)) {
                    if (source == null) {
                        source = Nd4j.create(store.array(name), target.shape(), 'c');
                    }
                    target.assign(source);
                }
            } finally {
                if (source != null) {
                    source.close();
                }
            }
        }
        uploadedStore = store;
        uploadedVersion = version;
    }

    /**
     * The arrays SameDiff really reads for a weight. Its default array holder keeps a per-device
     * copy of what {@code setArray} was given, and the gradient function holds the array it found
     * when it was cloned, so the values are written into each of those, never into the original.
     */
    private Set<INDArray> liveArrays(String name) {
        Set<INDArray> out = Collections.newSetFromMap(new IdentityHashMap<>());
        out.add(sd.getVariable(name).getArr());
        if (runner != sd && runner.hasVariable(name)) {
            out.add(runner.getVariable(name).getArr());
        }
        return out;
    }

    /** Frees every native array this graph holds: the weights and the session's cached arrays. */
    @Override
    public void close() {
        session.getMmgr().close();
        runner.getSessions().clear();
        sd.getSessions().clear();
        Set<INDArray> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String name : weightArrays.keySet()) {
            arrays.addAll(liveArrays(name));
        }
        arrays.addAll(weightArrays.values());
        for (INDArray a : arrays) {
            if (a.closeable() && !a.wasClosed()) {
                a.close();
            }
        }
        weightArrays.clear();
        uploadedStore = null;
    }

    /**
     * SameDiff's {@link InferenceSession} with its two unbounded structures bounded.
     *
     * <ul>
     * <li>{@code freedArrays}, the ids of the arrays the session released (a guard against
     * releasing one array twice within a run), is never cleared in 1.0.0-M2.1: it gained ~760
     * boxed ids per call of the model measured here, forever. It only has to span one run (array
     * ids are never reused and a reused cached array gets a new id), so it is cleared before each.
     * <li>The memory manager caches released arrays by shape for the next allocation, but never
     * hands out rank-0 or empty arrays again, so every released scalar stayed in the cache (up to a
     * quarter of the native memory limit). {@link ScalarClosingMemMgr} closes those instead.
     * </ul>
     * It also drops the values of a run once it is over (SameDiff keeps them until the next run,
     * long enough for the garbage collector to move them to the old generation), and remembers the
     * subgraph to execute between calls (see {@link #initSubgraph}).
     */
    static final class LeanSession extends InferenceSession {
        /** The outputs the cached subgraph was worked out for, or null. */
        private Set<String> subgraphFor;
        private List<String> cachedSubgraph;
        private List<String> cachedSubgraphOps;
        private List<String> cachedZeroInputOps;

        LeanSession(SameDiff sameDiff) {
            super(sameDiff);
            setMmgr(new ScalarClosingMemMgr());
        }

        /**
         * Works out the ops needed for the requested outputs once per set of outputs, not on every
         * call: the walk does several trie lookups and a regex match per variable (about a tenth of
         * the Java time of a training step), and this graph does not change once built.
         */
        @Override
        protected void initSubgraph(Set<String> variables) {
            if (variables.equals(subgraphFor)) {
                subgraph.addAll(cachedSubgraph);
                subgraphOps.addAll(cachedSubgraphOps);
                zeroInputOpsInSubgraph.addAll(cachedZeroInputOps);
                return;
            }
            super.initSubgraph(variables);
            subgraphFor = Set.copyOf(variables);
            cachedSubgraph = List.copyOf(subgraph);
            cachedSubgraphOps = List.copyOf(subgraphOps);
            cachedZeroInputOps = List.copyOf(zeroInputOpsInSubgraph);
        }

        @Override
        public ExecutionResult output(List<String> variables, Map<String, INDArray> placeholderValues,
                Map<String, SDValue> otherPlaceHolderValues, MultiDataSet batch, Collection<String> requiredActivations,
                List<Listener> listeners, At at) {
            freedArrays.clear();
            try {
                return super.output(variables, placeholderValues, otherPlaceHolderValues, batch, requiredActivations, listeners, at);
            } finally {
                // Nothing of a finished run is read by the next one (each run starts by resetting
                // these), but kept until then the run's ~3000 value, array and dependency objects
                // survive the young collections that happen between calls and pile up in the old
                // generation: RSS grew ~0.2 MB per step until a full GC.
                freedArrays.clear();
                nodeValueOutputs.clear();
                dt.clear();
                getArrayUseTracker().clear();
            }
        }
    }

    /** {@link ArrayCacheMemoryMgr} that frees the arrays it would cache but never hand out again. */
    static final class ScalarClosingMemMgr extends ArrayCacheMemoryMgr {
        @Override
        public void release(INDArray array) {
            long[] shape = array.shape();
            if (shape.length == 0 || array.isEmpty() || Arrays.stream(shape).anyMatch(d -> d == 0)) {
                if (array.closeable() && !array.wasClosed()) {
                    array.close();
                }
                return;
            }
            super.release(array);
        }
    }
}
