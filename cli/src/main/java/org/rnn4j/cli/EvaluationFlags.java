package org.rnn4j.cli;

import org.rnn4j.zoo.evaluation.EvaluationOptions;
import org.rnn4j.zoo.stats.BlockBootstrap;
import picocli.CommandLine.Option;

/** {@code --alpha} and {@code --season}: how a forecast evaluation judges. */
final class EvaluationFlags {
    @Option(
            names = "--alpha",
            paramLabel = "A",
            description = "Level of the Diebold-Mariano test and 1 - confidence of the bootstrap interval"
                    + " (default: 0.05).")
    Double alpha;

    @Option(
            names = "--season",
            paramLabel = "M",
            description = "Season length in rows (e.g. 12 for monthly data): adds the seasonal naive baseline.")
    Integer season;

    EvaluationOptions options() {
        return new EvaluationOptions(
                alpha != null ? alpha : EvaluationOptions.DEFAULT_ALPHA,
                BlockBootstrap.DEFAULT_RESAMPLES,
                42,
                season != null ? season : 0);
    }
}
