package org.rnn4j.api.layers;

import java.util.Arrays;
import java.util.List;

/**
 * Keras's weight constraints, applied in the api after every optimizer update (Keras 3's
 * {@code optimizer.apply}), in float32. The norm-based ones take the L2 norm over {@code axes} of
 * the weight in the Keras layout (default axis 0: for a Dense kernel {@code [in, out]}, each output
 * unit's incoming weights); epsilon is Keras's 1e-7.
 */
public sealed interface Constraint {

    /** Keras's {@code backend.epsilon()}. */
    float EPSILON = 1e-7f;

    /** Applies the constraint to {@code w} (row-major, of {@code shape}) in place. */
    void apply(float[] w, int[] shape);

    /** The name in rnn4j spec files. */
    String jsonName();

    /** {@code w * clip(norm, 0, maxValue) / (eps + norm)}. */
    record MaxNorm(double maxValue, List<Integer> axes) implements Constraint {
        public MaxNorm {
            axes = checkAxes("max_norm", axes);
            if (!(maxValue >= 0) || !Double.isFinite(maxValue)) {
                throw new IllegalArgumentException("max_norm.max_value must be >= 0, got " + maxValue);
            }
        }

        @Override
        public void apply(float[] w, int[] shape) {
            float max = (float) maxValue;
            rescale(w, shape, axes, norm -> Math.min(Math.max(norm, 0f), max));
        }

        @Override
        public String jsonName() {
            return "max_norm";
        }
    }

    /** {@code max(w, 0)}. */
    record NonNeg() implements Constraint {
        @Override
        public void apply(float[] w, int[] shape) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], 0f);
            }
        }

        @Override
        public String jsonName() {
            return "non_neg";
        }
    }

    /** {@code w / (eps + norm)}. */
    record UnitNorm(List<Integer> axes) implements Constraint {
        public UnitNorm {
            axes = checkAxes("unit_norm", axes);
        }

        @Override
        public void apply(float[] w, int[] shape) {
            float[] norms = norms(w, shape, axes);
            int[] group = groups(shape, axes);
            for (int i = 0; i < w.length; i++) {
                w[i] = w[i] / (EPSILON + norms[group[i]]);
            }
        }

        @Override
        public String jsonName() {
            return "unit_norm";
        }
    }

    /** {@code w * (rate * clip(norm, min, max) + (1 - rate) * norm) / (eps + norm)}. */
    record MinMaxNorm(double minValue, double maxValue, double rate, List<Integer> axes) implements Constraint {
        public MinMaxNorm {
            axes = checkAxes("min_max_norm", axes);
            if (!(minValue >= 0) || !(maxValue >= minValue) || !Double.isFinite(maxValue)) {
                throw new IllegalArgumentException(
                        "min_max_norm needs 0 <= min_value <= max_value, got " + minValue + " and " + maxValue);
            }
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("min_max_norm.rate must be in [0, 1], got " + rate);
            }
        }

        @Override
        public void apply(float[] w, int[] shape) {
            float lo = (float) minValue;
            float hi = (float) maxValue;
            float r = (float) rate;
            float keep = (float) (1 - rate);
            rescale(w, shape, axes, norm -> r * Math.min(Math.max(norm, lo), hi) + keep * norm);
        }

        @Override
        public String jsonName() {
            return "min_max_norm";
        }
    }

    /** Keras's default axis: 0. */
    static List<Integer> defaultAxes() {
        return List.of(0);
    }

    private static List<Integer> checkAxes(String owner, List<Integer> axes) {
        List<Integer> a = List.copyOf(axes == null ? defaultAxes() : axes);
        if (a.isEmpty()) {
            throw new IllegalArgumentException(owner + ".axis must name at least one axis");
        }
        return a;
    }

    /** {@code w * desired(norm) / (eps + norm)} per group. */
    private static void rescale(
            float[] w, int[] shape, List<Integer> axes, java.util.function.Function<Float, Float> desired) {
        float[] norms = norms(w, shape, axes);
        float[] factor = new float[norms.length];
        for (int k = 0; k < norms.length; k++) {
            factor[k] = desired.apply(norms[k]) / (EPSILON + norms[k]);
        }
        int[] group = groups(shape, axes);
        for (int i = 0; i < w.length; i++) {
            w[i] = w[i] * factor[group[i]];
        }
    }

    /** The L2 norm of each group (elements sharing their coordinates off {@code axes}). */
    private static float[] norms(float[] w, int[] shape, List<Integer> axes) {
        int[] group = groups(shape, axes);
        int count = 0;
        for (int g : group) {
            count = Math.max(count, g + 1);
        }
        float[] sums = new float[Math.max(count, 1)];
        for (int i = 0; i < w.length; i++) {
            sums[group[i]] += w[i] * w[i];
        }
        for (int k = 0; k < sums.length; k++) {
            sums[k] = (float) Math.sqrt(sums[k]);
        }
        return sums;
    }

    /** For each element, the index of its group: its coordinates on the axes not reduced, row-major. */
    private static int[] groups(int[] shape, List<Integer> axes) {
        int rank = shape.length;
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            int axis = a < 0 ? a + rank : a;
            if (axis < 0 || axis >= rank) {
                throw new IllegalArgumentException(
                        "constraint axis " + a + " is outside a weight of shape " + Arrays.toString(shape));
            }
            reduced[axis] = true;
        }
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] out = new int[n];
        int[] idx = new int[rank];
        for (int i = 0; i < n; i++) {
            int g = 0;
            for (int d = 0; d < rank; d++) {
                if (!reduced[d]) {
                    g = g * shape[d] + idx[d];
                }
            }
            out[i] = g;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }
}
