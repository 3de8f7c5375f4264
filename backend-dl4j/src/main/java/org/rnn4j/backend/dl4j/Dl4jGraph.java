package org.rnn4j.backend.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.config.SDValueType;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rnn4j.api.graph.BuiltGraph;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.weights.WeightStore;

/**
 * One SameDiff graph of a model for one (mode, time steps, with loss) key, with the native arrays
 * of its weights. The weight arrays are allocated once and overwritten in place when the
 * {@link WeightStore} changes: SameDiff's gradient function holds the array objects it found when
 * it was cloned from this graph (on first use), so replacing them would leave it on stale values.
 */
final class Dl4jGraph implements AutoCloseable {
    private final SameDiff sd;
    private final BuiltGraph<SDVariable> built;
    private final Map<String, INDArray> weightArrays = new LinkedHashMap<>();
    private final List<String> trainable = new ArrayList<>();
    private WeightStore uploadedStore;
    private long uploadedVersion = -1;

    Dl4jGraph(ModelSpec spec, ModelGraph.Mode mode, int timeSteps, boolean withLoss) {
        this.sd = SameDiff.create();
        // Only training graphs need a gather with a working gradient.
        SameDiffOps ops = new SameDiffOps(sd, mode == ModelGraph.Mode.TRAINING);
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
    }

    SameDiff sameDiff() {
        return sd;
    }

    BuiltGraph<SDVariable> built() {
        return built;
    }

    /** Names of the weights the optimizer updates, in Keras order. */
    List<String> trainable() {
        return trainable;
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
        SameDiff grad = sd.getFunction("grad");
        if (grad != null && grad.hasVariable(name)) {
            out.add(grad.getVariable(name).getArr());
        }
        return out;
    }

    /**
     * Frees the intermediate arrays of the last gradient run. SameDiff 1.0.0-M2.1 runs its gradient
     * function with its array cache switched off ({@code calculateGradientsAndOutputs} calls
     * {@code setEnableCache(false)}), so forward and backward activations are never released and
     * their native memory would wait for the Java GC (measured: RSS grew from 1.3 to 4.1 GB over
     * 500 steps). Weights, constants and views are left alone; placeholders and requested results
     * are closed by the caller.
     */
    void releaseGradientIntermediates() {
        SameDiff grad = sd.getFunction("grad");
        if (grad == null) {
            return;
        }
        Set<INDArray> keep = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SDVariable v : grad.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE || v.getVariableType() == VariableType.CONSTANT) {
                INDArray a = v.getArr();
                if (a != null) {
                    keep.add(a);
                }
            }
        }
        for (InferenceSession session : grad.getSessions().values()) {
            for (SDValue value : session.getNodeValueOutputs().values()) {
                if (value.getSdValueType() == SDValueType.TENSOR) {
                    closeUnlessKept(value.getTensorValue(), keep);
                } else if (value.getSdValueType() == SDValueType.LIST && value.getListValue() != null) {
                    value.getListValue().forEach(a -> closeUnlessKept(a, keep));
                }
            }
            session.getNodeValueOutputs().clear();
        }
    }

    private static void closeUnlessKept(INDArray a, Set<INDArray> keep) {
        if (a != null && !keep.contains(a) && a.closeable() && !a.wasClosed()) {
            a.close();
        }
    }

    /**
     * Frees every native array this graph holds: the weights, and the arrays SameDiff's sessions
     * (of the graph and of its gradient function) keep cached for reuse.
     */
    @Override
    public void close() {
        closeSessions(sd);
        SameDiff grad = sd.getFunction("grad");
        if (grad != null) {
            closeSessions(grad);
        }
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
     * Ends one call: frees the gradient run's intermediates. (Dropping SameDiff's sessions after
     * each call as well was tried and made training 5x slower without flattening RSS.)
     */
    void endCall() {
        releaseGradientIntermediates();
    }

    private static void closeSessions(SameDiff s) {
        for (InferenceSession session : s.getSessions().values()) {
            session.getMmgr().close();
        }
        s.getSessions().clear();
    }
}
