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
            description = "A price-model spec: input [window, 1] float32, output [1].")
    Path spec;
}
