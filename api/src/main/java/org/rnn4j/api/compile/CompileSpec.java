package org.rnn4j.api.compile;

import java.util.List;

/**
 * What {@code model.compile(...)} sets in Keras: the loss (with its options), the optimizer and the
 * metrics to report.
 */
public record CompileSpec(Loss loss, OptimizerSpec optimizer, List<Metric> metrics, LossOptions lossOptions) {
    public CompileSpec {
        if (loss == null) {
            throw new IllegalArgumentException("compile.loss is required; known: " + Loss.names());
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("compile.optimizer is required; known: " + OptimizerSpec.NAMES);
        }
        metrics = List.copyOf(metrics == null ? List.of() : metrics);
        lossOptions = lossOptions == null ? LossOptions.DEFAULT : lossOptions;
        lossOptions.check(loss);
        for (Metric m : metrics) {
            m.check(loss);
        }
    }

    /** A loss with Keras's default options. */
    public CompileSpec(Loss loss, OptimizerSpec optimizer, List<Metric> metrics) {
        this(loss, optimizer, metrics, LossOptions.DEFAULT);
    }

    /** Keras's usual regression setting: MSE, Adam with defaults, no metrics. */
    public static CompileSpec defaults() {
        return new CompileSpec(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(), List.of());
    }
}
