package org.rnn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.io.Checkpoints;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.RunFolder;
import org.rnn4j.api.io.TensorJson;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.History;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains any model (from Keras, TensorFlow.js or rnn4j) on tensors and saves it in the rnn4j format. */
@Command(
        name = "fit",
        mixinStandardHelpOptions = true,
        description =
                "Train a model from elsewhere (TensorFlow.js / Keras model.json, .h5, .keras, rnn4j spec or model) on tensors given as JSON.",
        footer = {
            "%nThe optimizer is a name (sgd, adam, rmsprop) or JSON with Keras hyper-parameters, e.g.",
            "  '{\"type\": \"adam\", \"learning_rate\": 0.01, \"beta_1\": 0.9, \"beta_2\": 0.999, \"epsilon\": 1e-7}'.",
            "A model without weights starts from weights drawn from --seed.",
            "%nExamples:",
            "  rnn4j fit --model tfjs/model.json --x x.json --y y.json --loss mse --optimizer adam --epochs 10 --out runs/fitted",
            "  rnn4j fit --model m.json --x x.json --y y.json --loss sparse_categorical_crossentropy \\",
            "      --optimizer '{\"type\": \"sgd\", \"learning_rate\": 0.1}' --epochs 1 --batch-size 4 --no-shuffle --out runs/one-step"
        })
final class FitCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "MODEL",
            description = "model.json, model directory, .h5/.keras, or spec.")
    Path model;

    @Option(
            names = "--weights",
            paramLabel = "FILE.h5",
            description = "Keras HDF5 weights for an architecture-only --model.")
    Path weights;

    @Option(names = "--x", required = true, paramLabel = "TENSOR.json", description = "Inputs [n, ...].")
    Path x;

    @Option(
            names = "--y",
            required = true,
            paramLabel = "TENSOR.json",
            description = "Targets [n, ...] (int32 class ids for sparse cross-entropy).")
    Path y;

    @Option(
            names = "--loss",
            required = true,
            paramLabel = "NAME",
            description = "Loss: ${COMPLETION-CANDIDATES}.",
            completionCandidates = LossNames.class)
    String loss;

    @Option(
            names = "--optimizer",
            defaultValue = "adam",
            paramLabel = "NAME|JSON",
            description = "Optimizer (default: adam with Keras defaults).")
    String optimizer;

    @Option(
            names = "--metrics",
            split = ",",
            paramLabel = "NAME",
            description = "Metrics to report: mae, mse, rmse, accuracy.")
    List<String> metrics = List.of();

    @Option(names = "--epochs", defaultValue = "1", paramLabel = "N", description = "Epochs (default: 1).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "Batch size (default: 32).")
    int batchSize;

    @Option(names = "--no-shuffle", description = "Keep the sample order (default: a seeded shuffle per epoch).")
    boolean noShuffle;

    @Option(
            names = "--seed",
            defaultValue = "42",
            paramLabel = "N",
            description = "Seed of shuffling and of fresh weights (default: 42).")
    long seed;

    @Option(
            names = "--validation-split",
            defaultValue = "0",
            paramLabel = "F",
            description = "Hold out the last fraction of samples.")
    double validationSplit;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to save the trained model.")
    Path out;

    @Mixin
    BackendOption backend;

    @Spec
    CommandSpec spec;

    static final class LossNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Loss.names().iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        OptionBounds.training(epochs, batchSize, null);
        OptionBounds.fraction("--validation-split", validationSplit);
        // The output folder is checked and locked before any input is read or an engine starts.
        try (RunFolder run = RunFolder.open(out, "--out")) {
            return fit(run);
        }
    }

    private Integer fit(RunFolder run) throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Tensor xs = TensorJson.read(x);
        Tensor ys = TensorJson.read(y);
        LoadedModel loaded = ModelSource.load(model, weights);
        CompileSpec compile = new CompileSpec(
                Loss.fromJson(loss),
                optimizer(optimizer),
                metrics.stream().map(Metric::fromJson).toList());
        FitOptions fit = new FitOptions(epochs, batchSize, validationSplit, !noShuffle, seed);
        ModelSpec modelSpec = loaded.spec().withCompile(compile).withFit(fit);
        History history;
        try (Backend b = backend.open();
                Model m = loaded.hasWeights()
                        ? Model.withWeights(modelSpec, b, loaded.weights())
                        : Model.create(modelSpec, b, seed)) {
            m.checkInput(xs, "--x " + x);
            stdout.printf(
                    Locale.ROOT,
                    "Fitting %s (%,d parameters) on %s: %d samples, %s, %s%n",
                    modelSpec.name(),
                    modelSpec.parameterCount(),
                    b.id(),
                    xs.dim(0),
                    compile.loss().jsonName(),
                    SpecJson.optimizerJson(compile.optimizer()));
            stdout.flush();
            TensorDataset all = TensorDataset.of(xs, ys);
            TensorDataset train = all;
            TensorDataset val = null;
            if (validationSplit > 0) {
                TensorDataset[] parts = all.splitLast(validationSplit);
                train = parts[0];
                val = parts[1];
            }
            history = m.fit(train, val, fit, List.of(new ProgressCallback(stdout, false)));
            ObjectNode extras = SpecJson.mapper().createObjectNode();
            extras.set("history", Checkpoints.historyJson(history));
            extras.put("backend", b.id());
            run.commit(m.spec(), m.weights(), extras, java.util.Map.of());
        }
        stdout.println(
                "Saved to " + out + " (model.json + weights.bin + rnn4j.json); final loss " + history.last("loss"));
        stdout.flush();
        return ExitCodes.OK;
    }

    static OptimizerSpec optimizer(String text) {
        String t = text.trim();
        JsonNode node = t.startsWith("{")
                ? SpecJson.parse(t, "--optimizer")
                : SpecJson.mapper().getNodeFactory().textNode(t);
        return SpecJson.readOptimizer(node, "--optimizer");
    }
}
