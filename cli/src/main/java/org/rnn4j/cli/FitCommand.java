package org.rnn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.checkpoint.Checkpoints;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.OutputPaths;
import org.rnn4j.api.io.RunFolder;
import org.rnn4j.api.io.TensorJson;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.tensorboard.TensorBoard;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.History;
import org.rnn4j.api.train.ProgressBar;
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
            "%nThe optimizer is a name (sgd, adam, adamw, nadam, adagrad, adamax, rmsprop) or JSON with Keras",
            "hyper-parameters and base options (clipnorm, clipvalue, global_clipnorm, weight_decay), e.g.",
            "  '{\"type\": \"adam\", \"learning_rate\": 0.01, \"amsgrad\": true, \"clipnorm\": 1.0}';",
            "learning_rate may be a schedule: exponential_decay, inverse_time_decay, piecewise_constant_decay,",
            "polynomial_decay, cosine_decay, e.g.",
            "  '{\"type\": \"sgd\", \"learning_rate\": {\"type\": \"exponential_decay\", \"initial_learning_rate\": 0.1,",
            "    \"decay_steps\": 100, \"decay_rate\": 0.9}}'.",
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
            paramLabel = "NAME|JSON",
            description = "Loss: ${COMPLETION-CANDIDATES}; or JSON with options, e.g."
                    + " '{\"type\": \"binary_crossentropy\", \"from_logits\": true, \"label_smoothing\": 0.1}'.",
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
            description = "Metrics to report, e.g. mae, rmse, mape, r2_score, accuracy, precision, recall, auc.")
    List<String> metrics = List.of();

    @Option(
            names = "--sample-weight",
            paramLabel = "TENSOR.json",
            description = "Keras's sample_weight: [n] (one per sample) or [n, time] for sequence outputs.")
    Path sampleWeight;

    @Option(
            names = "--class-weight",
            paramLabel = "JSON",
            description =
                    "Keras's class_weight, e.g. '{\"0\": 1.0, \"1\": 5.0}': each sample weighs its class's weight.")
    String classWeight;

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

    @Option(
            names = "--tbptt",
            paramLabel = "F[:B]",
            description =
                    "Truncated backpropagation through time: train each batch in segments of F steps with the "
                            + "state carried, backpropagating the recurrences through the last B steps of each (default B = F).")
    String tbptt;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to save the trained model.")
    Path out;

    @Option(
            names = "--tensorboard",
            paramLabel = "DIR",
            description =
                    "Also write TensorBoard logs to DIR (loss and metrics per epoch, the model): tensorboard --logdir DIR.")
    Path tensorboard;

    @Mixin
    BackendOption backend;

    @Mixin
    TuningOptions tuning;

    @Spec
    CommandSpec spec;

    /** {@code F} or {@code F:B} as truncated-BPTT settings; null stays full backpropagation. */
    static FitOptions.Tbptt tbptt(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split(":", -1);
        try {
            int forward = Integer.parseInt(parts[0].trim());
            int backward = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : forward;
            if (parts.length > 2) {
                throw new NumberFormatException(value);
            }
            return new FitOptions.Tbptt(forward, backward);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--tbptt takes F or F:B (segment steps, backpropagated steps), e.g. 200 or 200:100; got '" + value
                            + "'");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tbptt " + value + ": " + e.getMessage());
        }
    }

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
        if (tensorboard != null) {
            OutputPaths.checkDirectory(tensorboard, "--tensorboard");
        }
        FitOptions.Tbptt truncated = tbptt(tbptt);
        // The output folder is checked and locked before any input is read or an engine starts.
        try (RunFolder run = RunFolder.open(out, "--out")) {
            return fit(run, truncated);
        }
    }

    private Integer fit(RunFolder run, FitOptions.Tbptt truncated) throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Tensor xs = TensorJson.read(x);
        Tensor ys = TensorJson.read(y);
        Tensor ws = sampleWeight == null ? null : TensorJson.read(sampleWeight);
        LoadedModel loaded = ModelSource.load(model, weights);
        CompileSpec compile = compile(loss, optimizer(optimizer), metrics);
        FitOptions fit = new FitOptions(
                epochs, batchSize, validationSplit, !noShuffle, seed, classWeights(classWeight), truncated);
        ModelSpec modelSpec = loaded.spec().withCompile(compile).withFit(fit);
        History history;
        try (Backend b = tuning.open(backend.checkedId());
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
            TensorDataset all = TensorDataset.of(xs, ys, ws);
            TensorDataset train = all;
            TensorDataset val = null;
            if (validationSplit > 0) {
                TensorDataset[] parts = all.splitLast(validationSplit);
                train = parts[0];
                val = parts[1];
            }
            List<Callback> callbacks = new ArrayList<>(List.of(new ProgressBar(2, stdout, false, 0)));
            if (tensorboard != null) {
                callbacks.add(new TensorBoard(tensorboard));
            }
            history = m.fit(train, val, fit, callbacks);
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

    /** The loss (a name, or JSON with its options), optimizer and metrics as one compile block. */
    static CompileSpec compile(String loss, OptimizerSpec optimizer, List<String> metrics) {
        com.fasterxml.jackson.databind.node.ObjectNode block = SpecJson.mapper().createObjectNode();
        String l = loss.trim();
        block.set(
                "loss",
                l.startsWith("{")
                        ? SpecJson.parse(l, "--loss")
                        : SpecJson.mapper().getNodeFactory().textNode(l));
        block.set("optimizer", SpecJson.optimizerJson(optimizer));
        metrics.forEach(block.putArray("metrics")::add);
        return SpecJson.readCompile(block, "--loss/--optimizer/--metrics");
    }

    /** {@code --class-weight} through the spec's fit block, so both read it alike. */
    static java.util.Map<Integer, Double> classWeights(String json) {
        if (json == null) {
            return java.util.Map.of();
        }
        com.fasterxml.jackson.databind.node.ObjectNode fit = SpecJson.mapper().createObjectNode();
        fit.set("class_weight", SpecJson.parse(json.trim(), "--class-weight"));
        return SpecJson.readFitOptions(fit, "--class-weight").classWeight();
    }

    static OptimizerSpec optimizer(String text) {
        String t = text.trim();
        JsonNode node = t.startsWith("{")
                ? SpecJson.parse(t, "--optimizer")
                : SpecJson.mapper().getNodeFactory().textNode(t);
        return SpecJson.readOptimizer(node, "--optimizer");
    }
}
