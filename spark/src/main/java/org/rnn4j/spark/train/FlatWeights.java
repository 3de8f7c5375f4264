package org.rnn4j.spark.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/** Every weight of a model as one float array, in Keras order: what the driver sends the executors. */
final class FlatWeights {
    private FlatWeights() {}

    static float[] of(WeightStore store) {
        long total = 0;
        for (WeightSpec w : store.specs()) {
            total += w.size();
        }
        float[] out = new float[Math.toIntExact(total)];
        int at = 0;
        for (WeightSpec w : store.specs()) {
            float[] a = store.array(w.name());
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    /** Copies {@code flat} into {@code store} (same model) and marks it changed. */
    static void into(float[] flat, WeightStore store) {
        int at = 0;
        for (WeightSpec w : store.specs()) {
            float[] a = store.array(w.name());
            System.arraycopy(flat, at, a, 0, a.length);
            at += a.length;
        }
        store.touch();
    }

    /** The trainable weights, in Keras order: the layout of a flat gradient. */
    static List<WeightSpec> trainable(List<WeightSpec> all) {
        List<WeightSpec> out = new ArrayList<>();
        for (WeightSpec w : all) {
            if (w.trainable()) {
                out.add(w);
            }
        }
        return out;
    }

    static int size(List<WeightSpec> specs) {
        long total = 0;
        for (WeightSpec w : specs) {
            total += w.size();
        }
        return Math.toIntExact(total);
    }

    /** A flat gradient (trainable weights, Keras order) as the optimizer's map. */
    static Map<String, Tensor> gradients(float[] flat, List<WeightSpec> trainable) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int at = 0;
        for (WeightSpec w : trainable) {
            int n = Math.toIntExact(w.size());
            float[] g = new float[n];
            System.arraycopy(flat, at, g, 0, n);
            out.put(w.name(), Tensor.wrap(g, w.shapeArray()));
            at += n;
        }
        return out;
    }
}
