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
 * accumulated mean square, accuracies over samples, precision/recall/AUC from confusion counts
 * summed over the epoch, R^2 from per-column sums over the epoch.
 */
public final class MetricAccumulator {
    private final List<Metric> metrics;
    private double lossSum;
    private double lossWeight;
    private long batches;
    private final double[] sums;
    private final long[] counts;
    /** Per metric: confusion counts (precision/recall: tp, fp, fn; AUC: tp, fp, tn, fn per threshold). */
    private final long[][] confusion;
    /** Per metric: R^2 per-column sums (y, y^2, residual^2, count), interleaved. */
    private final double[][] columns;

    public MetricAccumulator(Loss loss, List<Metric> metrics) {
        this.metrics = metrics;
        this.sums = new double[metrics.size()];
        this.counts = new long[metrics.size()];
        this.confusion = new long[metrics.size()][];
        this.columns = new double[metrics.size()][];
    }

    /** Adds one batch: its loss (the batch mean), output and targets. */
    public void add(double batchLoss, Tensor pred, Tensor target) {
        add(batchLoss, pred.dim(0), pred, target);
    }

    /**
     * Adds one batch whose loss counts with {@code weight} (the batch size, or the sum of its sample
     * weights) in the epoch's mean.
     */
    public void add(double batchLoss, double weight, Tensor pred, Tensor target) {
        lossSum += batchLoss * weight;
        lossWeight += weight;
        batches++;
        for (int m = 0; m < metrics.size(); m++) {
            switch (metrics.get(m)) {
                case MAE -> elementwise(m, pred, target, Kind.ABS);
                case MSE, RMSE -> elementwise(m, pred, target, Kind.SQUARE);
                case MAPE -> elementwise(m, pred, target, Kind.PERCENT);
                case MSLE -> elementwise(m, pred, target, Kind.LOG_SQUARE);
                case ACCURACY -> accuracy(m, pred, target, accuracyKind(pred, target));
                case BINARY_ACCURACY -> accuracy(m, pred, target, Accuracy.BINARY);
                case CATEGORICAL_ACCURACY -> accuracy(m, pred, target, Accuracy.CATEGORICAL);
                case SPARSE_CATEGORICAL_ACCURACY -> accuracy(m, pred, target, Accuracy.SPARSE);
                case TOP_K_CATEGORICAL_ACCURACY -> topK(m, pred, target, false);
                case SPARSE_TOP_K_CATEGORICAL_ACCURACY -> topK(m, pred, target, true);
                case PRECISION, RECALL -> precisionRecall(m, pred, target);
                case AUC -> auc(m, pred, target);
                case R2_SCORE -> r2(m, pred, target);
            }
        }
    }

    private enum Kind {
        ABS,
        SQUARE,
        PERCENT,
        LOG_SQUARE
    }

    private enum Accuracy {
        BINARY,
        CATEGORICAL,
        SPARSE
    }

    /** Keras 3's choice for "accuracy": binary for one output per sample, sparse for class-id targets, else categorical. */
    private static Accuracy accuracyKind(Tensor pred, Tensor target) {
        if (pred.dim(-1) == 1) {
            return Accuracy.BINARY;
        }
        return target.rank() < pred.rank() ? Accuracy.SPARSE : Accuracy.CATEGORICAL;
    }

    private void elementwise(int m, Tensor pred, Tensor target, Kind kind) {
        float[] p = pred.floatView();
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double y = target.getDouble(i);
            double d = p[i] - y;
            s += switch (kind) {
                case ABS -> Math.abs(d);
                case SQUARE -> d * d;
                case PERCENT -> 100 * Math.abs(d / Math.max(Math.abs(y), Loss.EPSILON));
                case LOG_SQUARE -> {
                    double l = Math.log(Math.max(p[i], Loss.EPSILON) + 1) - Math.log(Math.max(y, Loss.EPSILON) + 1);
                    yield l * l;
                }
            };
        }
        sums[m] += s;
        counts[m] += p.length;
    }

    private void accuracy(int m, Tensor pred, Tensor target, Accuracy kind) {
        float[] p = pred.floatView();
        int classes = pred.dim(-1);
        long correct = 0;
        long total;
        switch (kind) {
            case SPARSE -> {
                total = target.size();
                for (int r = 0; r < total; r++) {
                    correct += argmax(p, r * classes, classes) == (int) target.getDouble(r) ? 1 : 0;
                }
            }
            case CATEGORICAL -> {
                total = p.length / classes;
                float[] t = target.floatView();
                for (int r = 0; r < total; r++) {
                    correct += argmax(p, r * classes, classes) == argmax(t, r * classes, classes) ? 1 : 0;
                }
            }
            default -> {
                // Keras's binary_accuracy: the thresholded prediction equals the target.
                total = p.length;
                for (int i = 0; i < p.length; i++) {
                    correct += (p[i] > 0.5f ? 1.0 : 0.0) == target.getDouble(i) ? 1 : 0;
                }
            }
        }
        sums[m] += correct;
        counts[m] += total;
    }

    /** TensorFlow's in_top_k: the target is in when fewer than k classes score strictly higher. */
    private void topK(int m, Tensor pred, Tensor target, boolean sparse) {
        float[] p = pred.floatView();
        int classes = pred.dim(-1);
        long rows = p.length / classes;
        float[] t = sparse ? null : target.floatView();
        long correct = 0;
        for (int r = 0; r < rows; r++) {
            int label = sparse ? (int) target.getDouble(r) : argmax(t, r * classes, classes);
            float score = p[r * classes + label];
            int higher = 0;
            for (int c = 0; c < classes; c++) {
                if (p[r * classes + c] > score) {
                    higher++;
                }
            }
            correct += higher < Metric.TOP_K ? 1 : 0;
        }
        sums[m] += correct;
        counts[m] += rows;
    }

    private void precisionRecall(int m, Tensor pred, Tensor target) {
        if (confusion[m] == null) {
            confusion[m] = new long[3];
        }
        float[] p = pred.floatView();
        for (int i = 0; i < p.length; i++) {
            boolean predicted = p[i] > 0.5f;
            boolean actual = target.getDouble(i) != 0;
            if (predicted && actual) {
                confusion[m][0]++;
            } else if (predicted) {
                confusion[m][1]++;
            } else if (actual) {
                confusion[m][2]++;
            }
        }
    }

    /** Keras's AUC thresholds: -eps, then i/(n-1) for i = 1..n-2, then 1 + eps. */
    static float[] aucThresholds() {
        int n = Metric.AUC_THRESHOLDS;
        float[] t = new float[n];
        t[0] = (float) (0.0 - 1e-7);
        for (int i = 0; i < n - 2; i++) {
            t[i + 1] = (float) ((i + 1) * 1.0 / (n - 1));
        }
        t[n - 1] = (float) (1.0 + 1e-7);
        return t;
    }

    private void auc(int m, Tensor pred, Tensor target) {
        float[] thresholds = aucThresholds();
        int n = thresholds.length;
        if (confusion[m] == null) {
            confusion[m] = new long[4 * n];
        }
        float[] p = pred.floatView();
        long[] c = confusion[m];
        for (int i = 0; i < p.length; i++) {
            boolean actual = target.getDouble(i) != 0;
            for (int k = 0; k < n; k++) {
                boolean predicted = p[i] > thresholds[k];
                int slot = predicted ? (actual ? 0 : 1) : (actual ? 3 : 2);
                c[4 * k + slot]++;
            }
        }
    }

    private void r2(int m, Tensor pred, Tensor target) {
        int cols = pred.dim(-1);
        if (columns[m] == null) {
            columns[m] = new double[4 * cols];
        }
        float[] p = pred.floatView();
        double[] s = columns[m];
        for (int i = 0; i < p.length; i++) {
            int c = i % cols;
            double y = target.getDouble(i);
            s[4 * c] += y;
            s[4 * c + 1] += y * y;
            s[4 * c + 2] += (y - p[i]) * (y - p[i]);
            s[4 * c + 3] += 1;
        }
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

    private static double divideNoNan(double a, double b) {
        return b == 0 ? 0 : a / b;
    }

    /** Whether no batch has been added. */
    boolean isEmpty() {
        return batches == 0;
    }

    /** {@code loss} and each metric, keys prefixed (e.g. {@code val_}). */
    public Map<String, Double> result(String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(prefix + "loss", lossSum / lossWeight);
        for (int m = 0; m < metrics.size(); m++) {
            Metric metric = metrics.get(m);
            double value = switch (metric) {
                case RMSE -> Math.sqrt(sums[m] / counts[m]);
                case PRECISION ->
                    confusion[m] == null
                            ? 0
                            : divideNoNan((double) confusion[m][0], (double) (confusion[m][0] + confusion[m][1]));
                case RECALL ->
                    confusion[m] == null
                            ? 0
                            : divideNoNan((double) confusion[m][0], (double) (confusion[m][0] + confusion[m][2]));
                case AUC -> aucResult(confusion[m]);
                case R2_SCORE -> r2Result(columns[m]);
                default -> sums[m] / counts[m];
            };
            out.put(prefix + metric.jsonName(), value);
        }
        return out;
    }

    /** Keras's ROC AUC with interpolation: trapezoids over the thresholds' (fpr, tpr) points. */
    private static double aucResult(long[] c) {
        if (c == null) {
            return 0;
        }
        int n = c.length / 4;
        double[] tpr = new double[n];
        double[] fpr = new double[n];
        for (int k = 0; k < n; k++) {
            double tp = c[4 * k];
            double fp = c[4 * k + 1];
            double tn = c[4 * k + 2];
            double fn = c[4 * k + 3];
            tpr[k] = divideNoNan(tp, tp + fn);
            fpr[k] = divideNoNan(fp, fp + tn);
        }
        double area = 0;
        for (int k = 0; k < n - 1; k++) {
            area += (fpr[k] - fpr[k + 1]) * (tpr[k] + tpr[k + 1]) / 2;
        }
        return area;
    }

    /** Keras's R2Score, uniform average over columns; a column with zero variance scores 0 (Keras maps its -inf to 0). */
    private static double r2Result(double[] s) {
        if (s == null) {
            return 0;
        }
        int cols = s.length / 4;
        double total = 0;
        for (int c = 0; c < cols; c++) {
            double sum = s[4 * c];
            double squares = s[4 * c + 1];
            double residual = s[4 * c + 2];
            double count = s[4 * c + 3];
            double mean = sum / count;
            double variance = squares - sum * mean;
            double score = 1 - residual / variance;
            total += Double.isInfinite(score) ? 0 : score;
        }
        return total / cols;
    }
}
