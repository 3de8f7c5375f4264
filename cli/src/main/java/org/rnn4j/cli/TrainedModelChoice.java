package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model DIR} or {@code --zoo NAME} (a zoo model's shipped weights): the trained model a command runs. */
final class TrainedModelChoice {
    @Option(names = "--model", paramLabel = "DIR", description = "A model directory written by 'rnn4j train'.")
    Path model;

    @Option(
            names = "--zoo",
            paramLabel = "NAME",
            completionCandidates = ModelChoice.ZooNames.class,
            description = "A zoo model with shipped trained weights (stock-simple-rnn, char-embedding-lstm).")
    String zoo;

    /** The model directory: the given one, or the zoo model's shipped weights unpacked to a temporary one. */
    Path directory(String command) throws IOException {
        return model != null ? model : SavedModel.shipped(zoo, command);
    }
}
