package org.rnn4j.spark.train;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What the partitions computed for one global batch, summed: {@code sum_i n_i * g_i} (the gradient
 * of each partition's mean loss weighted by its sample count, in double, trainable weights in Keras
 * order), {@code sum_i n_i * loss_i}, and each sample's output and target with its position in the
 * global batch. Dividing by the batch size gives the gradient and loss of the mean loss over the
 * global batch, which is what one machine computes for the same batch.
 */
final class StepPart implements Serializable {
    private static final long serialVersionUID = 1L;

    double[] gradient; // null when the gradient travels another way (the block-manager all-reduce)
    double lossSum;
    int count;
    int[] positions = new int[0];
    float[] outputs = new float[0];
    float[] targets = new float[0];
    int[] intTargets = new int[0];
    long computeNanos; // the slowest partition's

    static StepPart empty() {
        return new StepPart();
    }

    /** Adds {@code o} into this (Spark allows a combiner to change its first argument). */
    StepPart merge(StepPart o) {
        if (o.gradient != null) {
            if (gradient == null) {
                gradient = o.gradient.clone();
            } else {
                for (int i = 0; i < gradient.length; i++) {
                    gradient[i] += o.gradient[i];
                }
            }
        }
        lossSum += o.lossSum;
        count += o.count;
        positions = concat(positions, o.positions);
        outputs = concat(outputs, o.outputs);
        targets = concat(targets, o.targets);
        intTargets = concat(intTargets, o.intTargets);
        computeNanos = Math.max(computeNanos, o.computeNanos);
        return this;
    }

    private static int[] concat(int[] a, int[] b) {
        if (b.length == 0) {
            return a;
        }
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        if (b.length == 0) {
            return a;
        }
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
