package org.rnn4j.api.weights;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;

/**
 * The values of a model's weights, by Keras name and in the Keras layout, held in Java arrays.
 * The optimizer updates them in place; engines read them at each call. {@link #version()} grows
 * with every change, so an engine may keep an uploaded copy until it changes.
 *
 * <p>Not thread-safe for writers: training and {@link #set} must not run concurrently with other
 * calls on the same store. Concurrent readers (predict) are fine.
 */
public final class WeightStore {
    private final Map<String, WeightSpec> specs = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final AtomicLong version = new AtomicLong();

    public WeightStore(List<WeightSpec> weights) {
        for (WeightSpec w : weights) {
            specs.put(w.name(), w);
            values.put(w.name(), new float[Math.toIntExact(w.size())]);
        }
    }

    /** The weights, in Keras order. */
    public List<WeightSpec> specs() {
        return List.copyOf(specs.values());
    }

    public boolean contains(String name) {
        return specs.containsKey(name);
    }

    public WeightSpec spec(String name) {
        WeightSpec s = specs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("the model has no weight '" + name + "'; it has " + specs.keySet());
        }
        return s;
    }

    /** The live array of a weight, for engines and optimizers. Writers must call {@link #touch()} after changing it. */
    public float[] array(String name) {
        spec(name);
        return values.get(name);
    }

    /** A copy of one weight. */
    public Tensor get(String name) {
        return Tensor.of(array(name), spec(name).shapeArray());
    }

    /** Replaces one weight; its shape must equal the Keras shape. */
    public void set(String name, Tensor value) {
        WeightSpec s = spec(name);
        if (!Arrays.equals(s.shapeArray(), value.shape())) {
            throw new IllegalArgumentException("weight '" + name + "' has shape " + s.shape()
                    + " but the value has shape " + Arrays.toString(value.shape()) + "; weights use the Keras layout");
        }
        System.arraycopy(value.floatView(), 0, values.get(name), 0, value.size());
        touch();
    }

    /** Replaces several weights; every weight of the model must be given, no more, no less. */
    public void setAll(Map<String, Tensor> all) {
        for (String name : all.keySet()) {
            spec(name);
        }
        for (String name : specs.keySet()) {
            if (!all.containsKey(name)) {
                throw new IllegalArgumentException(
                        "weight '" + name + "' is missing; the model needs " + specs.keySet());
            }
        }
        all.forEach(this::set);
    }

    /** A copy of every weight, in Keras order. */
    public Map<String, Tensor> snapshot() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : specs.keySet()) {
            out.put(name, get(name));
        }
        return Collections.unmodifiableMap(out);
    }

    public long version() {
        return version.get();
    }

    /** Marks the values as changed. */
    public void touch() {
        version.incrementAndGet();
    }
}
