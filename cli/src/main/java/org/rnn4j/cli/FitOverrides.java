package org.rnn4j.cli;

import org.rnn4j.api.compile.FitOptions;
import picocli.CommandLine.Option;

/** {@code --epochs}, {@code --batch-size}, {@code --seed} and {@code --max-chars}: what a training command may change of a model's own settings. */
final class FitOverrides {
    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the model's).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Batch size (default: the model's).")
    Integer batchSize;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Seed of the initial weights, batch order and dropout (default: the model's, 42).")
    Long seed;

    @Option(
            names = "--max-chars",
            paramLabel = "N",
            description = "Text models: use the first N characters of the text (0 = all).")
    Integer maxChars;

    /** Rejects sizes out of {@link OptionBounds} before any data is read. */
    void check() {
        OptionBounds.training(epochs, batchSize, maxChars);
    }

    /** The model's fit settings with these overrides, no validation split (the recipes hold one out). */
    FitOptions apply(FitOptions base, int defaultEpochs) {
        return new FitOptions(
                epochs != null ? epochs : defaultEpochs,
                batchSize != null ? batchSize : base.batchSize(),
                0,
                base.shuffle(),
                seed != null ? seed : base.seed());
    }
}
