package org.rnn4j.api.train;

import java.util.Map;
import org.rnn4j.api.tensor.Tensor;

/** Keras's {@code class_weight}: per-sample weights from each target's class. */
public final class SampleWeights {
    private SampleWeights() {}

    /**
     * Keras's {@code class_weight_to_sample_weights}: one weight per sample, that of its class (1 for
     * classes not listed). The class is the target itself for class ids ({@code [n]} or
     * {@code [n, 1]}), the rounded value for a single binary target, or the argmax of a one-hot row.
     * Sequence targets have a class per step, which Keras's rule does not cover: give
     * {@code sample_weight [n, time]} for them.
     */
    public static Tensor fromClassWeight(Tensor y, Map<Integer, Double> classWeight) {
        int n = y.dim(0);
        int perSample = y.size() / Math.max(n, 1);
        boolean ids = y.rank() == 1 || (y.rank() == 2 && y.dim(1) == 1);
        boolean oneHot = y.rank() == 2 && y.dim(1) > 1;
        if (!ids && !oneHot) {
            throw new IllegalArgumentException("class_weight needs one class per sample, but the targets have shape "
                    + java.util.Arrays.toString(y.shape()) + " (a class per step); give sample_weight [n, time]"
                    + " instead");
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int cls;
            if (ids) {
                cls = (int) Math.round(y.getDouble(i));
            } else {
                cls = 0;
                for (int c = 1; c < perSample; c++) {
                    if (y.getDouble(i * perSample + c) > y.getDouble(i * perSample + cls)) {
                        cls = c;
                    }
                }
            }
            out[i] = classWeight.getOrDefault(cls, 1.0).floatValue();
        }
        return Tensor.wrap(out, n);
    }
}
