package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnn4j.api.model.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints the Keras-style summary of a spec or model; reads files only, never starts an engine. */
@Command(
        name = "summary",
        mixinStandardHelpOptions = true,
        description =
                "Print a Keras-style summary (layer, output shape, parameters) of a model or spec. Starts no engine.",
        footer = {
            "%nAccepts an rnn4j spec (\"format\": \"rnn4j.spec/1\"), a Keras model.to_json() / config.json,",
            "a TensorFlow.js model.json, a Keras .h5 / .keras file, or a model directory written by 'rnn4j train'.",
            "%nExamples:",
            "  rnn4j summary examples/specs/simple_rnn_10.json",
            "  rnn4j summary runs/stock-simple-rnn",
            "  rnn4j summary tfjs_model/model.json"
        })
final class SummaryCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "SPEC_OR_MODEL",
            description = "A spec file, a model.json, or a model directory.")
    Path path;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelSpec model = ModelSource.spec(path);
        spec.commandLine().getOut().print(model.summary());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
