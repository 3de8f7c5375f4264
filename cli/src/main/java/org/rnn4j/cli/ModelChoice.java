package org.rnn4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --zoo NAME} or {@code --spec FILE}: the model a training command starts from. */
final class ModelChoice {
    @Option(names = "--zoo", paramLabel = "NAME", description = "A zoo model (see 'rnn4j zoo list').")
    String zoo;

    @Option(
            names = "--spec",
            paramLabel = "FILE",
            description = "A spec (rnn4j, Keras or TensorFlow.js JSON): a series model [window, k] -> [H], or a"
                    + " text model (token ids into an Embedding, or one-hot characters).")
    Path spec;
}
