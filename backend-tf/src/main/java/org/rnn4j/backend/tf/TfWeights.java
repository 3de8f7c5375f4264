package org.rnn4j.backend.tf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.weights.WeightStore;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.types.TFloat32;

/**
 * Native copies of one {@link WeightStore} at one {@link WeightStore#version()}, shared by the
 * calls that read that version. Reference-counted: the program's cache holds one reference and
 * every running call one more, so a newer upload never frees tensors a concurrent
 * {@code predict} is still feeding.
 */
final class TfWeights {
    private final WeightStore store;
    private final long version;
    private final Map<String, TFloat32> tensors;
    /** The C handles of {@link #tensors}, read once per weight for native runs. */
    private final Map<String, TF_Tensor> handles = new java.util.concurrent.ConcurrentHashMap<>();

    private int references = 1;

    private TfWeights(WeightStore store, long version, Map<String, TFloat32> tensors) {
        this.store = store;
        this.version = version;
        this.tensors = tensors;
    }

    /** Copies every weight of {@code specs} from the store. */
    static TfWeights upload(WeightStore store, List<WeightSpec> specs) {
        long version = store.version();
        Map<String, TFloat32> tensors = new LinkedHashMap<>();
        try {
            for (WeightSpec w : specs) {
                float[] values = store.array(w.name());
                if (values.length != w.size()) {
                    throw new IllegalArgumentException("weight '" + w.name() + "' holds " + values.length
                            + " values but the model needs " + w + "; use a WeightStore made for this model");
                }
                tensors.put(w.name(), TfTensors.toTf(values, w.shapeArray()));
            }
        } catch (RuntimeException e) {
            tensors.values().forEach(TFloat32::close);
            throw e;
        }
        return new TfWeights(store, version, tensors);
    }

    boolean isCopyOf(WeightStore s) {
        return store == s && version == s.version();
    }

    TFloat32 tensor(String name) {
        return tensors.get(name);
    }

    /** The C tensor behind {@link #tensor}, for a native run (still owned here). */
    TF_Tensor handle(String name) {
        return handles.computeIfAbsent(name, n -> TfNativeRun.handle(tensors.get(n)));
    }

    synchronized void retain() {
        if (references == 0) {
            throw new IllegalStateException("weights already released");
        }
        references++;
    }

    synchronized void release() {
        if (--references == 0) {
            tensors.values().forEach(TFloat32::close);
        }
    }
}
