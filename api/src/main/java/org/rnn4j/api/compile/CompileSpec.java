package org.rnn4j.api.compile;

import java.util.List;

/** What {@code model.compile(...)} sets in Keras: the loss, the optimizer and the metrics to report. */
public record CompileSpec(Loss loss, OptimizerSpec optimizer, List<Metric> metrics) {
    public CompileSpec {
        if (loss == null) {
            throw new IllegalArgumentException("compile.loss is required; known: " + Loss.names());
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("compile.optimizer is required: sgd, adam or rmsprop");
        }
        metrics = List.copyOf(metrics == null ? List.of() : metrics);
    }

    /** Keras's usual regression setting: MSE, Adam with defaults, no metrics. */
    public static CompileSpec defaults() {
        return new CompileSpec(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(), List.of());
    }
}
