package org.rnn4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.io.OutputPaths;
import org.rnn4j.api.io.TensorJson;
import org.rnn4j.api.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a model on a tensor given as JSON and prints (or writes) the output tensor as JSON. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description =
                "Run a trained model (rnn4j model directory, TensorFlow.js model.json with weights, Keras .h5/.keras, or an architecture with --weights) on an input tensor.",
        footer = {
            "%nTensors are JSON: {\"shape\": [batch, time, features], \"dtype\": \"float32\"|\"int32\", \"data\": [flat row-major values]}.",
            "%nExamples:",
            "  rnn4j predict --model runs/stock-simple-rnn --input window.json",
            "  rnn4j predict --model tfjs_model/model.json --input x.json --output y.json --backend dl4j",
            "  rnn4j predict --model keras_config.json --weights model.weights.h5 --input x.json"
        })
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR|model.json", description = "The trained model.")
    Path model;

    @Option(
            names = "--weights",
            paramLabel = "FILE.h5",
            description = "Keras HDF5 weights for an architecture-only --model.")
    Path weights;

    @Option(names = "--input", required = true, paramLabel = "TENSOR.json", description = "The input tensor.")
    Path input;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "Write the output tensor here (atomically) instead of stdout.")
    Path output;

    @Mixin
    BackendOption backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Every input and the output are checked before an engine is loaded.
        if (output != null) {
            OutputPaths.checkFile(output, "--output");
        }
        Tensor x = TensorJson.read(input);
        LoadedModel loaded = ModelSource.load(model, weights);
        if (!loaded.hasWeights()) {
            throw new IllegalArgumentException(
                    model + " has no weights (it is an architecture or spec); predict needs a trained model:"
                            + " a model directory or a TensorFlow.js model.json with its weights");
        }
        String json;
        try (Backend b = backend.open();
                Model m = Model.withWeights(loaded.spec(), b, loaded.weights())) {
            m.checkInput(x, "--input " + input);
            json = TensorJson.write(m.predict(x));
        }
        if (output != null) {
            ModelFiles.writeAtomically(output, (json + "\n").getBytes(StandardCharsets.UTF_8));
        } else {
            spec.commandLine().getOut().println(json);
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
