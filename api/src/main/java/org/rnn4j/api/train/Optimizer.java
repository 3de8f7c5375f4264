package org.rnn4j.api.train;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * Applies gradients to the weights with Keras's update rules, in float32 and in the op order of
 * Keras 3's {@code update_step}. It runs in the api, so both backends update identically.
 * Stateful (moments, step count); {@link #state()} and {@link #restore} serve checkpoints.
 */
public final class Optimizer {
    private final OptimizerSpec spec;
    private final Map<String, float[]> slot1 = new HashMap<>();
    private final Map<String, float[]> slot2 = new HashMap<>();
    private long iterations;

    public Optimizer(OptimizerSpec spec) {
        this.spec = spec;
    }

    public OptimizerSpec spec() {
        return spec;
    }

    public long iterations() {
        return iterations;
    }

    /** One update of every weight that has a gradient. */
    public void apply(WeightStore weights, Map<String, Tensor> gradients) {
        iterations++;
        for (var e : gradients.entrySet()) {
            float[] w = weights.array(e.getKey());
            float[] g = e.getValue().floatView();
            if (g.length != w.length) {
                throw new IllegalStateException(
                        "gradient of " + e.getKey() + " has " + g.length + " values, weight has " + w.length);
            }
            update(e.getKey(), w, g);
        }
        weights.touch();
    }

    private float[] slot(Map<String, float[]> slots, String name, int n) {
        return slots.computeIfAbsent(name, k -> new float[n]);
    }

    private void update(String name, float[] w, float[] g) {
        if (spec instanceof OptimizerSpec.Adam a) {
            float lr = (float) a.learningRate();
            float t = iterations;
            float b1 = (float) a.beta1();
            float b2 = (float) a.beta2();
            float b1t = (float) Math.pow(b1, t);
            float b2t = (float) Math.pow(b2, t);
            float alpha = (lr * (float) Math.sqrt(1f - b2t)) / (1f - b1t);
            float oneMinusB1 = (float) (1 - a.beta1());
            float oneMinusB2 = (float) (1 - a.beta2());
            float eps = (float) a.epsilon();
            float[] m = slot(slot1, name, w.length);
            float[] v = slot(slot2, name, w.length);
            for (int i = 0; i < w.length; i++) {
                m[i] += (g[i] - m[i]) * oneMinusB1;
                v[i] += (g[i] * g[i] - v[i]) * oneMinusB2;
                w[i] -= (m[i] * alpha) / ((float) Math.sqrt(v[i]) + eps);
            }
        } else if (spec instanceof OptimizerSpec.Sgd s) {
            float lr = (float) s.learningRate();
            if (s.momentum() == 0) {
                for (int i = 0; i < w.length; i++) {
                    w[i] -= lr * g[i];
                }
                return;
            }
            float mu = (float) s.momentum();
            float[] m = slot(slot1, name, w.length);
            for (int i = 0; i < w.length; i++) {
                m[i] = mu * m[i] - lr * g[i];
                w[i] += s.nesterov() ? mu * m[i] - lr * g[i] : m[i];
            }
        } else if (spec instanceof OptimizerSpec.RmsProp r) {
            float lr = (float) r.learningRate();
            float rho = (float) r.rho();
            float eps = (float) r.epsilon();
            float[] v = slot(slot1, name, w.length);
            float[] mom = r.momentum() > 0 ? slot(slot2, name, w.length) : null;
            for (int i = 0; i < w.length; i++) {
                // Keras 3: epsilon inside the square root.
                v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
                float inc = lr * g[i] / (float) Math.sqrt(v[i] + eps);
                if (mom != null) {
                    mom[i] = (float) r.momentum() * mom[i] + inc;
                    w[i] -= mom[i];
                } else {
                    w[i] -= inc;
                }
            }
        }
    }

    /** A copy of the optimizer state: {@code iterations} and every slot by {@code slot/<weight>}. */
    public OptimizerState state() {
        Map<String, float[]> slots = new LinkedHashMap<>();
        slot1.forEach((k, v) -> slots.put("m/" + k, v.clone()));
        slot2.forEach((k, v) -> slots.put("v/" + k, v.clone()));
        return new OptimizerState(iterations, slots);
    }

    public void restore(OptimizerState state) {
        iterations = state.iterations();
        slot1.clear();
        slot2.clear();
        state.slots().forEach((k, v) -> (k.startsWith("m/") ? slot1 : slot2).put(k.substring(2), v.clone()));
    }

    /** Saved optimizer state. */
    public record OptimizerState(long iterations, Map<String, float[]> slots) {}
}
