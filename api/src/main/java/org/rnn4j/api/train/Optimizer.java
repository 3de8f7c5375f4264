package org.rnn4j.api.train;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * Applies gradients to the weights with Keras's update rules, in float32 and in the order of Keras
 * 3's {@code BaseOptimizer.apply}: the learning rate of the step (a schedule is evaluated at the
 * step count before the update), gradient clipping, decoupled weight decay, each optimizer's
 * {@code update_step}, then the weights' constraints. It runs in the api, so both backends update
 * identically. Stateful (slots, step count, a learning rate set by callbacks); {@link #state()} and
 * {@link #restore} serve checkpoints.
 */
public final class Optimizer {
    private final OptimizerSpec spec;
    /** Slot arrays by slot name ({@code m}, {@code v}, ...) and weight name. */
    private final Map<String, Map<String, float[]>> slots = new LinkedHashMap<>();

    private long iterations;
    /** The learning rate set by a callback (ReduceLROnPlateau, LearningRateScheduler), as Keras's float32 variable. */
    private Float learningRate;
    /** Nadam's running product of its momentum schedule. */
    private float uProduct = 1f;

    public Optimizer(OptimizerSpec spec) {
        this.spec = spec;
    }

    public OptimizerSpec spec() {
        return spec;
    }

    /** Updates made so far (Keras's {@code optimizer.iterations}). */
    public long iterations() {
        return iterations;
    }

    /** The learning rate the next update uses (a schedule's value at the current step). */
    public float learningRate() {
        if (spec.common().schedule() != null) {
            return spec.common().schedule().at(iterations);
        }
        return learningRate != null ? learningRate : (float) spec.learningRate();
    }

    /**
     * Sets the learning rate of the following updates, as assigning Keras's
     * {@code optimizer.learning_rate}.
     *
     * @throws IllegalStateException when the learning rate is a schedule (Keras refuses too)
     */
    public void setLearningRate(double value) {
        if (spec.common().schedule() != null) {
            throw new IllegalStateException("the optimizer's learning rate is the schedule "
                    + spec.common().schedule().jsonName() + ", which cannot be set; give a constant learning_rate"
                    + " to change it from a callback");
        }
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + value);
        }
        learningRate = (float) value;
    }

    /** One update of every weight that has a gradient. */
    public void apply(WeightStore weights, Map<String, Tensor> gradients) {
        long step = iterations;
        float lr = learningRate();
        Map<String, float[]> grads = new LinkedHashMap<>();
        for (var e : gradients.entrySet()) {
            float[] w = weights.array(e.getKey());
            float[] g = e.getValue().floatView();
            if (g.length != w.length) {
                throw new IllegalStateException(
                        "gradient of " + e.getKey() + " has " + g.length + " values, weight has " + w.length);
            }
            grads.put(e.getKey(), g);
        }
        grads = clip(grads);
        float wd = (float) spec.common().weightDecay();
        if (wd > 0) {
            for (String name : grads.keySet()) {
                float[] w = weights.array(name);
                for (int i = 0; i < w.length; i++) {
                    w[i] = w[i] - w[i] * wd * lr;
                }
            }
        }
        if (spec instanceof OptimizerSpec.Nadam n) {
            float b1 = (float) n.beta1();
            uProduct = uProduct * b1 * (1f - 0.5f * (float) Math.pow(0.96f, (float) (step + 1)));
        }
        for (var e : grads.entrySet()) {
            update(e.getKey(), weights.array(e.getKey()), e.getValue(), lr, step);
        }
        for (String name : grads.keySet()) {
            WeightSpec ws = weights.spec(name);
            if (ws.constraint() != null) {
                ws.constraint().apply(weights.array(name), ws.shapeArray());
            }
        }
        iterations++;
        weights.touch();
    }

    /** Keras's {@code _clip_gradients}: copies when clipping, else the gradients themselves. */
    private Map<String, float[]> clip(Map<String, float[]> grads) {
        OptimizerSpec.Common c = spec.common();
        if (c.clipnorm() > 0) {
            float clip = (float) c.clipnorm();
            Map<String, float[]> out = new LinkedHashMap<>();
            grads.forEach((k, g) -> {
                float l2sum = 0;
                for (float v : g) {
                    l2sum += v * v;
                }
                float l2norm = l2sum > 0 ? (float) Math.sqrt(l2sum) : l2sum;
                float denom = Math.max(l2norm, clip);
                float[] r = new float[g.length];
                for (int i = 0; i < g.length; i++) {
                    r[i] = (g[i] * clip) / denom;
                }
                out.put(k, r);
            });
            return out;
        }
        if (c.globalClipnorm() > 0) {
            float clip = (float) c.globalClipnorm();
            float squared = 0;
            for (float[] g : grads.values()) {
                float s = 0;
                for (float v : g) {
                    s += v * v;
                }
                squared += s;
            }
            float norm = (float) Math.sqrt(squared);
            // Keras: clip * min(1/norm, 1/clip), NaN when the norm is not finite (Keras adds norm - norm).
            float scale = clip * Math.min(1f / norm, (float) (1.0 / c.globalClipnorm()))
                    + (Float.isFinite(norm) ? 0f : Float.NaN);
            Map<String, float[]> out = new LinkedHashMap<>();
            grads.forEach((k, g) -> {
                float[] r = new float[g.length];
                for (int i = 0; i < g.length; i++) {
                    r[i] = g[i] * scale;
                }
                out.put(k, r);
            });
            return out;
        }
        if (c.clipvalue() > 0) {
            float v = (float) c.clipvalue();
            Map<String, float[]> out = new LinkedHashMap<>();
            grads.forEach((k, g) -> {
                float[] r = new float[g.length];
                for (int i = 0; i < g.length; i++) {
                    r[i] = Math.min(Math.max(g[i], -v), v);
                }
                out.put(k, r);
            });
            return out;
        }
        return grads;
    }

    private float[] slot(String slot, String name, int n, float initial) {
        return slots.computeIfAbsent(slot, k -> new HashMap<>()).computeIfAbsent(name, k -> {
            float[] a = new float[n];
            if (initial != 0) {
                java.util.Arrays.fill(a, initial);
            }
            return a;
        });
    }

    private float[] slot(String slot, String name, int n) {
        return slot(slot, name, n, 0f);
    }

    private static float pow(float a, float b) {
        return (float) Math.pow(a, b);
    }

    /** One weight's {@code update_step}, in Keras's op order; {@code step} is the count before this update. */
    private void update(String name, float[] w, float[] g, float lr, long step) {
        float localStep = step + 1;
        int n = w.length;
        if (spec instanceof OptimizerSpec.Sgd s) {
            if (s.momentum() == 0) {
                for (int i = 0; i < n; i++) {
                    w[i] -= g[i] * lr;
                }
                return;
            }
            float mu = (float) s.momentum();
            float[] m = slot("m", name, n);
            for (int i = 0; i < n; i++) {
                m[i] = m[i] * mu - g[i] * lr;
                w[i] += s.nesterov() ? m[i] * mu - g[i] * lr : m[i];
            }
        } else if (spec instanceof OptimizerSpec.Adam a) {
            adam(name, w, g, lr, localStep, a.beta1(), a.beta2(), a.epsilon(), a.amsgrad());
        } else if (spec instanceof OptimizerSpec.AdamW a) {
            adam(name, w, g, lr, localStep, a.beta1(), a.beta2(), a.epsilon(), a.amsgrad());
        } else if (spec instanceof OptimizerSpec.Nadam a) {
            float b1 = (float) a.beta1();
            float b2 = (float) a.beta2();
            float decay = 0.96f;
            float uT = b1 * (1f - 0.5f * pow(decay, localStep));
            float uT1 = b1 * (1f - 0.5f * pow(decay, (float) (step + 2)));
            float uProductT = uProduct;
            float uProductT1 = uProductT * uT1;
            float b2Power = pow(b2, localStep);
            float eps = (float) a.epsilon();
            float[] m = slot("m", name, n);
            float[] v = slot("v", name, n);
            for (int i = 0; i < n; i++) {
                m[i] += (g[i] - m[i]) * (1f - b1);
                v[i] += (g[i] * g[i] - v[i]) * (1f - b2);
                float mHat = (uT1 * m[i]) / (1f - uProductT1) + ((1f - uT) * g[i]) / (1f - uProductT);
                float vHat = v[i] / (1f - b2Power);
                w[i] -= (mHat * lr) / ((float) Math.sqrt(vHat) + eps);
            }
        } else if (spec instanceof OptimizerSpec.Adagrad a) {
            float eps = (float) a.epsilon();
            float[] acc = slot("accumulator", name, n, (float) a.initialAccumulatorValue());
            for (int i = 0; i < n; i++) {
                acc[i] += g[i] * g[i];
                w[i] -= (lr * g[i]) / (float) Math.sqrt(acc[i] + eps);
            }
        } else if (spec instanceof OptimizerSpec.Adamax a) {
            float b1Power = pow((float) a.beta1(), localStep);
            float oneMinusB1 = (float) (1 - a.beta1());
            float b2 = (float) a.beta2();
            float eps = (float) a.epsilon();
            float[] m = slot("m", name, n);
            float[] u = slot("u", name, n);
            for (int i = 0; i < n; i++) {
                m[i] += (g[i] - m[i]) * oneMinusB1;
                u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
                w[i] -= (lr * m[i]) / ((1f - b1Power) * (u[i] + eps));
            }
        } else if (spec instanceof OptimizerSpec.RmsProp r) {
            float rho = (float) r.rho();
            float oneMinusRho = (float) (1 - r.rho());
            float eps = (float) r.epsilon();
            float mu = (float) r.momentum();
            // Slot names "m" (velocity) and "v" (momentum) are those of checkpoints written before centered.
            float[] velocity = slot("m", name, n);
            float[] mom = r.momentum() > 0 ? slot("v", name, n) : null;
            float[] meanGrad = r.centered() ? slot("mg", name, n) : null;
            for (int i = 0; i < n; i++) {
                velocity[i] = rho * velocity[i] + oneMinusRho * (g[i] * g[i]);
                float denominator;
                if (meanGrad != null) {
                    meanGrad[i] = rho * meanGrad[i] + oneMinusRho * g[i];
                    denominator = velocity[i] - meanGrad[i] * meanGrad[i] + eps;
                } else {
                    denominator = velocity[i] + eps;
                }
                float inc = (lr * g[i]) / (float) Math.sqrt(denominator);
                if (mom != null) {
                    mom[i] = mu * mom[i] + inc;
                    w[i] -= mom[i];
                } else {
                    w[i] -= inc;
                }
            }
        } else {
            throw new IllegalStateException("no update rule for " + spec.jsonName());
        }
    }

    private void adam(
            String name,
            float[] w,
            float[] g,
            float lr,
            float localStep,
            double beta1,
            double beta2,
            double epsilon,
            boolean amsgrad) {
        int n = w.length;
        float b1t = pow((float) beta1, localStep);
        float b2t = pow((float) beta2, localStep);
        float alpha = (lr * (float) Math.sqrt(1f - b2t)) / (1f - b1t);
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float eps = (float) epsilon;
        float[] m = slot("m", name, n);
        float[] v = slot("v", name, n);
        float[] vHat = amsgrad ? slot("vhat", name, n) : null;
        for (int i = 0; i < n; i++) {
            m[i] += (g[i] - m[i]) * oneMinusB1;
            v[i] += (g[i] * g[i] - v[i]) * oneMinusB2;
            float denom = v[i];
            if (vHat != null) {
                vHat[i] = Math.max(vHat[i], v[i]);
                denom = vHat[i];
            }
            w[i] -= (m[i] * alpha) / ((float) Math.sqrt(denom) + eps);
        }
    }

    /**
     * A copy of the optimizer state: {@code iterations}, every slot by {@code <slot>/<weight>}, and
     * the scalars {@code #learning_rate} (when a callback set it) and {@code #u_product} (Nadam).
     */
    public OptimizerState state() {
        Map<String, float[]> out = new LinkedHashMap<>();
        slots.forEach((slot, byWeight) -> byWeight.forEach((w, v) -> out.put(slot + "/" + w, v.clone())));
        if (learningRate != null) {
            out.put("#learning_rate", new float[] {learningRate});
        }
        if (spec instanceof OptimizerSpec.Nadam) {
            out.put("#u_product", new float[] {uProduct});
        }
        return new OptimizerState(iterations, out);
    }

    public void restore(OptimizerState state) {
        iterations = state.iterations();
        slots.clear();
        learningRate = null;
        uProduct = 1f;
        state.slots().forEach((k, v) -> {
            if (k.equals("#learning_rate")) {
                learningRate = v[0];
            } else if (k.equals("#u_product")) {
                uProduct = v[0];
            } else {
                int cut = k.indexOf('/');
                if (cut <= 0) {
                    throw new IllegalArgumentException("optimizer state has an unknown entry '" + k + "'");
                }
                slots.computeIfAbsent(k.substring(0, cut), x -> new HashMap<>()).put(k.substring(cut + 1), v.clone());
            }
        });
    }

    /** Saved optimizer state. */
    public record OptimizerState(long iterations, Map<String, float[]> slots) {}
}
