package org.rnn4j.api.compare;

import java.util.List;
import java.util.Map;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;

/**
 * What a {@link Comparison} measured.
 *
 * @param forwardMaxAbsDiff    max |difference| of the test outputs before training (same initial weights)
 * @param predictionMaxAbsDiff max |difference| of the test outputs after training
 * @param weightMaxAbsDiff     max |difference| over every weight tensor after training
 * @param weightDiffs          that maximum per weight
 * @param runs                 per backend: history, seconds per epoch, samples per second, test metrics
 * @param predictions          per backend: the test outputs after training
 * @param finalWeights         per backend: every weight after training
 */
public record ComparisonReport(
        ModelSpec spec,
        FitOptions options,
        double forwardMaxAbsDiff,
        double predictionMaxAbsDiff,
        double weightMaxAbsDiff,
        Map<String, Double> weightDiffs,
        Map<String, BackendRun> runs,
        Map<String, Tensor> predictions,
        Map<String, Map<String, Tensor>> finalWeights) {

    /** One backend's run. */
    public record BackendRun(
            String backend,
            String description,
            Map<String, List<Double>> history,
            List<Double> secondsPerEpoch,
            List<Double> samplesPerSecond,
            Map<String, Double> testMetrics) {}
}
