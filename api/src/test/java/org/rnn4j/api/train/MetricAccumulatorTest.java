package org.rnn4j.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.tensor.Tensor;

/** The metrics on Keras's own documented examples or hand-worked ones, accumulated over two batches. */
class MetricAccumulatorTest {

    private static Map<String, Double> run(Loss loss, List<Metric> metrics, Tensor[]... batches) {
        MetricAccumulator acc = new MetricAccumulator(loss, metrics);
        for (Tensor[] b : batches) {
            acc.add(1.0, b[0], b[1]);
        }
        return acc.result("");
    }

    private static Tensor col(float... v) {
        return Tensor.wrap(v, v.length, 1);
    }

    /** Keras docs: Precision and Recall of y_true [0, 1, 1, 1], y_pred [1, 0, 1, 1] are both 2/3. */
    @Test
    void precisionAndRecall() {
        Map<String, Double> r = run(
                Loss.BINARY_CROSSENTROPY,
                List.of(Metric.PRECISION, Metric.RECALL),
                new Tensor[] {col(1, 0), col(0, 1)},
                new Tensor[] {col(1, 1), col(1, 1)});
        assertEquals(2.0 / 3, r.get("precision"), 1e-12);
        assertEquals(2.0 / 3, r.get("recall"), 1e-12);
        // A second example: predicted positive 0, 1, 4 (> 0.5); true 0, 2, 4: tp 2, fp 1, fn 1.
        Map<String, Double> s = run(Loss.BINARY_CROSSENTROPY, List.of(Metric.PRECISION, Metric.RECALL), new Tensor[] {
            col(0.9f, 0.6f, 0.4f, 0.2f, 0.7f), col(1, 0, 1, 0, 1)
        });
        assertEquals(2.0 / 3, s.get("precision"), 1e-12);
        assertEquals(2.0 / 3, s.get("recall"), 1e-12);
    }

    /** Keras docs: AUC of y_true [0, 0, 1, 1], y_pred [0, 0.5, 0.3, 0.9] is 0.75 (3 of 4 pairs ranked right). */
    @Test
    void rocAuc() {
        Map<String, Double> r = run(
                Loss.BINARY_CROSSENTROPY, List.of(Metric.AUC), new Tensor[] {col(0, 0.5f), col(0, 0)}, new Tensor[] {
                    col(0.3f, 0.9f), col(1, 1)
                });
        assertEquals(0.75, r.get("auc"), 1e-9);
    }

    /** Keras docs: R2Score of y_true [[1], [4], [3]], y_pred [[2], [4], [4]] is 0.57142854 (1 - 2 / (14/3)). */
    @Test
    void r2Score() {
        Map<String, Double> r =
                run(Loss.MEAN_SQUARED_ERROR, List.of(Metric.R2_SCORE), new Tensor[] {col(2), col(1)}, new Tensor[] {
                    col(4, 4), col(4, 3)
                });
        assertEquals(1 - 2 / (14.0 / 3), r.get("r2_score"), 1e-12);
    }

    /**
     * Seven classes, k = 5. Row 0: the target (class 6, score 0.3) has 4 higher scores: in. Row 1: the
     * target (class 0, score 0.1) has 6 higher: out. Row 2: the target ties the 5th highest: in (TensorFlow's in_top_k).
     */
    @Test
    void topKAccuracies() {
        Tensor pred = Tensor.wrap(
                new float[] {
                    0.9f, 0.8f, 0.7f, 0.6f, 0.1f, 0.2f, 0.3f,
                    0.1f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f,
                    0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.5f, 0.1f
                },
                3,
                7);
        Tensor ids = Tensor.wrapInts(new int[] {6, 0, 5}, 3);
        assertEquals(
                2.0 / 3,
                run(
                                Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
                                List.of(Metric.SPARSE_TOP_K_CATEGORICAL_ACCURACY),
                                new Tensor[] {pred, ids})
                        .get("sparse_top_k_categorical_accuracy"),
                1e-12);
        float[] onehot = new float[21];
        onehot[6] = 1;
        onehot[7] = 1;
        onehot[14 + 5] = 1;
        assertEquals(
                2.0 / 3,
                run(Loss.CATEGORICAL_CROSSENTROPY, List.of(Metric.TOP_K_CATEGORICAL_ACCURACY), new Tensor[] {
                            pred, Tensor.wrap(onehot, 3, 7)
                        })
                        .get("top_k_categorical_accuracy"),
                1e-12);
    }

    /** MAPE: 100 * mean |y - p| / max(|y|, eps); MSLE: mean (log(p + 1) - log(y + 1))^2. */
    @Test
    void percentageAndLogarithmicErrors() {
        Map<String, Double> r = run(
                Loss.MEAN_SQUARED_ERROR,
                List.of(Metric.MAPE, Metric.MSLE),
                new Tensor[] {col(1.5f, 3), col(2, 4)},
                new Tensor[] {col(1), col(1)});
        assertEquals(100 * (0.25 + 0.25 + 0) / 3, r.get("mape"), 1e-5);
        double l1 = Math.log(2.5) - Math.log(3);
        double l2 = Math.log(4) - Math.log(5);
        assertEquals((l1 * l1 + l2 * l2) / 3, r.get("msle"), 1e-6);
    }

    /** Keras 3 picks accuracy's kind from the shapes: binary for one output, categorical for several. */
    @Test
    void accuracyFollowsTheShapes() {
        // Two outputs with binary cross-entropy: categorical accuracy (argmax), as Keras 3 does.
        Tensor pred = Tensor.wrap(new float[] {0.6f, 0.7f, 0.9f, 0.2f}, 2, 2);
        Tensor target = Tensor.wrap(new float[] {1, 0, 1, 0}, 2, 2);
        assertEquals(
                0.5,
                run(Loss.BINARY_CROSSENTROPY, List.of(Metric.ACCURACY), new Tensor[] {pred, target})
                        .get("accuracy"));
        assertEquals(
                0.75,
                run(Loss.BINARY_CROSSENTROPY, List.of(Metric.BINARY_ACCURACY), new Tensor[] {pred, target})
                        .get("binary_accuracy"));
        assertEquals(
                2.0 / 3,
                run(Loss.MEAN_SQUARED_ERROR, List.of(Metric.ACCURACY), new Tensor[] {col(0.7f, 0.2f, 0.6f), col(1, 0, 0)
                        })
                        .get("accuracy"));
    }
}
