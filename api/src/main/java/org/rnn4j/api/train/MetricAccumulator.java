package org.rnn4j.api.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.tensor.Tensor;

/**
 * Accumulates the loss and metrics over the batches of an epoch as Keras does: the loss weighted
 * by batch size, element-wise metrics averaged over every element, {@code rmse} as the root of the
 * accumulated mean square, {@code accuracy} matched to the loss (sparse, categorical or binary).
 */
public final class MetricAccumulator {
    private final Loss loss;
    private final List<Metric> metrics;
    private double lossSum;
    private long samples;
    private final double[] sums;
    private final long[] counts;

    public MetricAccumulator(Loss loss, List<Metric> metrics) {
        this.loss = loss;
        this.metrics = metrics;
        this.sums = new double[metrics.size()];
        this.counts = new long[metrics.size()];
    }

    public void add(double batchLoss, Tensor pred, Tensor target) {
        int batch = pred.dim(0);
        lossSum += batchLoss * batch;
        samples += batch;
        for (int m = 0; m < metrics.size(); m++) {
            switch (metrics.get(m)) {
                case MAE -> elementwise(m, pred, target, false);
                case MSE, RMSE -> elementwise(m, pred, target, true);
                case ACCURACY -> accuracy(m, pred, target);
            }
        }
    }

    private void elementwise(int m, Tensor pred, Tensor target, boolean squared) {
        if (loss.sparseTargets()) {
            throw new IllegalArgumentException("metric " + metrics.get(m).jsonName()
                    + " needs targets shaped like the output;" + " with sparse_categorical_crossentropy use accuracy");
        }
        float[] p = pred.floatView();
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double d = p[i] - target.getDouble(i);
            s += squared ? d * d : Math.abs(d);
        }
        sums[m] += s;
        counts[m] += p.length;
    }

    private void accuracy(int m, Tensor pred, Tensor target) {
        float[] p = pred.floatView();
        int classes = pred.dim(-1);
        long correct = 0;
        long total;
        if (loss.sparseTargets()) {
            total = target.size();
            for (int r = 0; r < total; r++) {
                correct += argmax(p, r * classes, classes) == (int) target.getDouble(r) ? 1 : 0;
            }
        } else if (loss == Loss.CATEGORICAL_CROSSENTROPY) {
            total = p.length / classes;
            float[] t = target.floatView();
            for (int r = 0; r < total; r++) {
                correct += argmax(p, r * classes, classes) == argmax(t, r * classes, classes) ? 1 : 0;
            }
        } else {
            total = p.length;
            for (int i = 0; i < p.length; i++) {
                correct += (p[i] > 0.5f) == (target.getDouble(i) > 0.5) ? 1 : 0;
            }
        }
        sums[m] += correct;
        counts[m] += total;
    }

    private static int argmax(float[] a, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[from + i] > a[from + best]) {
                best = i;
            }
        }
        return best;
    }

    boolean isEmpty() {
        return samples == 0;
    }

    /** {@code loss} and each metric, keys prefixed (e.g. {@code val_}). */
    public Map<String, Double> result(String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(prefix + "loss", lossSum / samples);
        for (int m = 0; m < metrics.size(); m++) {
            double mean = sums[m] / counts[m];
            out.put(prefix + metrics.get(m).jsonName(), metrics.get(m) == Metric.RMSE ? Math.sqrt(mean) : mean);
        }
        return out;
    }
}
