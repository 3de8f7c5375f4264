package org.rnn4j.api.train;

import java.util.List;
import java.util.Map;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.model.ModelSpec;
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

    /**
     * A batch's sample weights shaped as the loss's per-sample values: a weight per sample is
     * repeated over the steps of a sequence output ({@code timeSteps} long), as Keras broadcasts it.
     */
    public static Tensor forLoss(ModelSpec spec, Tensor w, int timeSteps) {
        List<Integer> per = ModelGraph.sampleWeightShape(spec, timeSteps);
        int batch = w.dim(0);
        if (w.rank() == per.size() + 1) {
            for (int i = 0; i < per.size(); i++) {
                if (w.dim(i + 1) != per.get(i)) {
                    throw new IllegalArgumentException("sample_weight has shape "
                            + java.util.Arrays.toString(w.shape()) + " but the loss of model '" + spec.name()
                            + "' has one value per sample and step: [batch, " + per.get(0) + "]");
                }
            }
            return w;
        }
        if (w.rank() == 1 && per.size() == 1) {
            int steps = per.get(0);
            float[] src = w.floatView();
            float[] out = new float[batch * steps];
            for (int b = 0; b < batch; b++) {
                java.util.Arrays.fill(out, b * steps, (b + 1) * steps, src[b]);
            }
            return Tensor.wrap(out, batch, steps);
        }
        throw new IllegalArgumentException("sample_weight has shape " + java.util.Arrays.toString(w.shape())
                + " but model '" + spec.name() + "' has one loss value per sample; give one weight per sample");
    }
}
