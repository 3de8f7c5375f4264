package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.checkpoint.Checkpoints;
import org.rnn4j.api.checkpoint.Resume;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.io.DataFingerprint;
import org.rnn4j.api.io.OutputPaths;
import org.rnn4j.api.io.RunFolder;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensorboard.TensorBoard;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.History;
import org.rnn4j.api.train.ProgressBar;
import org.rnn4j.bootstrap.Rnn4j;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.evaluation.EvaluationOptions;
import org.rnn4j.zoo.evaluation.ForecastStrategy;
import org.rnn4j.zoo.evaluation.Score;
import org.rnn4j.zoo.plan.DataRequest;
import org.rnn4j.zoo.plan.ReadOptions;
import org.rnn4j.zoo.plan.TrainingPlan;
import org.rnn4j.zoo.stats.BlockBootstrap;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Trains a zoo model or a spec, then scores it honestly on the test split and writes a run
 * directory: the model, history.json/.csv, evaluation.json and PNG plots. Nothing is written
 * until training and scoring have succeeded.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Train a zoo model or a spec on prices or text, score it on the held-out test split, and save the run.",
        footer = {
            "%nSeries models forecast the next value(s) from windows of differenced, scaled columns. They are",
            "scored on the test split on the original scale against the naive forecast (tomorrow = today), a",
            "random walk with drift and the training mean: Theil's U (model RMSE / naive RMSE) with a block",
            "bootstrap interval, and a Diebold-Mariano test (HLN-corrected) whose verdict is one of: better,",
            "no evidence of a difference, worse (at --alpha, 5%% by default).",
            "Text models are scored in bits per character (or word) beside the unigram entropy of the test text.",
            "%nA spec trains whatever its shapes say: [window, k] float32 -> [H] a series of k columns (--columns) forecast",
            "H steps directly; token ids into an Embedding, or one-hot characters, a text model. A 'data' block in the",
            "spec may say more (columns, differencing, characters or words).",
            "%nThe run directory gets: model.json + weights.bin + rnn4j.json (with the preprocessing), history.json,",
            "history.csv, evaluation.json, loss.png and (series models) forecast.png.",
            "%nExamples:",
            "  rnn4j train --zoo stock-simple-rnn --epochs 20",
            "  rnn4j train --zoo stock-lstm --data prices.csv --target 'Adj Close' --backend dl4j --out runs/lstm",
            "  rnn4j train --zoo stock-lstm --columns open,high,low,close,volume --target close --horizon 5 --strategy direct",
            "  rnn4j train --zoo stock-simple-rnn --data stocks --symbol AMZN --differencing absolute --season 12",
            "  rnn4j train --zoo char-onehot-lstm --data kjv --epochs 3 --max-chars 50000",
            "  rnn4j train --spec examples/specs/simple_rnn_10.json --data sp500 --epochs 5"
        })
final class TrainCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ModelChoice what;

    @Option(
            names = "--resume",
            description =
                    "Continue the interrupted run in --out from its last checkpoint (same settings, same result).")
    boolean resume;

    @Option(
            names = "--force",
            description = "With --resume: continue even on another engine or other data than the checkpoint's.")
    boolean force;

    @Mixin
    DataOptions input;

    @Mixin
    ShapeOptions shape;

    @Mixin
    EvaluationFlags verdictOptions;

    @Mixin
    FitOverrides fitting;

    @Option(names = "--out", paramLabel = "DIR", description = "The run directory (default: runs/<name>).")
    Path out;

    @Option(names = "--no-progress", description = "Plain log lines instead of a progress bar.")
    boolean noProgress;

    @Option(
            names = "--tensorboard",
            paramLabel = "DIR",
            description =
                    "Also write TensorBoard logs to DIR (loss and metrics per epoch, the model): tensorboard --logdir DIR.")
    Path tensorboard;

    @Mixin
    BackendOption backend;

    @Spec
    CommandSpec commandSpec;

    /** The root command, whose {@code loop} runs the epochs (another than this machine's when {@link Main#run(PrintWriter, PrintWriter, TrainingLoop, String...)} gave one). */
    @ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        fitting.check();
        OptionBounds.shape(shape.order, shape.horizon);
        OptionBounds.evaluation(verdictOptions.season);
        if (what == null && !resume) {
            throw new IllegalArgumentException(
                    "give --zoo NAME or --spec FILE (or --resume with the --out of an interrupted run)");
        }
        if (resume && what != null) {
            throw new IllegalArgumentException(
                    "--resume continues with the interrupted run's own settings; drop --zoo/--spec");
        }
        if (resume && out == null) {
            throw new IllegalArgumentException("--resume needs --out DIR, the folder of the interrupted run");
        }
        if (tensorboard != null) {
            OutputPaths.checkDirectory(tensorboard, "--tensorboard");
        }
        // The run folder is checked, locked and repaired before any data is read or an engine starts.
        Path folder = out != null
                ? out
                : Path.of(
                        "runs",
                        what.zoo != null
                                ? Zoo.get(what.zoo).name()
                                : ModelSource.spec(what.spec).name());
        try (RunFolder run = RunFolder.open(folder, "--out")) {
            return train(run);
        }
    }

    private Integer train(RunFolder run) throws Exception {
        PrintWriter stdout = commandSpec.commandLine().getOut();
        Path dir = run.dir();
        ObjectNode args;
        Resume checkpoint = resume ? Resume.read(run) : null;
        if (checkpoint != null) {
            args = checkpoint.trainArgs();
        } else {
            args = SpecJson.mapper().createObjectNode();
            args.put("zoo", what.zoo);
            args.put("spec", what.spec == null ? null : what.spec.toString());
            args.put("data", input.data);
            args.put("column", input.target);
            args.put("gaps", input.gaps);
            if (fitting.maxChars != null) {
                args.put("maxChars", fitting.maxChars);
            }
            recordArgs(args);
        }
        // A --data file too large to prepare in memory streams from a cache built once (progress on stderr).
        PrintWriter stderr = commandSpec.commandLine().getErr();
        TrainingPlan plan = Plans.plan(
                text(args, "zoo"),
                args.hasNonNull("spec") ? Path.of(args.get("spec").asText()) : null,
                request(args),
                CacheProgress.streaming(stderr));
        EvaluationOptions judging = evaluationOptions(args);
        FitOptions fit;
        if (checkpoint != null) {
            fit = checkpoint.spec().fit();
        } else {
            fit = fitting.apply(plan.spec().fit(), plan.spec().fit().epochs());
        }
        ModelSpec spec = plan.spec().withFit(fit);
        // Streamed data is fingerprinted batch by batch, to the hash its tensors would have in memory.
        DataFingerprint data = DataFingerprint.of(
                plan.sourceLabel(),
                plan.data().trainingSet(),
                plan.data().validationSet().orElse(null));
        String engineId = checkpoint != null ? checkpoint.engine(backend.id, force) : backend.id;
        if (checkpoint != null) {
            checkpoint.checkData(data, force);
        }

        stdout.printf(
                Locale.ROOT,
                "Training %s (%,d parameters) on %s: %s%n",
                plan.name(),
                spec.parameterCount(),
                plan.sourceLabel(),
                plan.data().describe());
        stdout.flush();
        boolean bar = Terminal.attached() && !noProgress;
        Score score;
        History history;
        try (Backend engine = Rnn4j.backend(engineId)) {
            Checkpoints.Resumed resumed = checkpoint != null ? checkpoint.restore(engine) : null;
            try (Model model = resumed != null ? resumed.model() : Model.create(spec, engine, fit.seed())) {
                stdout.println("Backend: " + engine.description());
                stdout.flush();
                ObjectNode cpExtras = Resume.record(args, engine.id(), data);
                int from = resumed == null ? 0 : resumed.nextEpoch();
                if (resumed != null) {
                    stdout.printf(
                            Locale.ROOT,
                            "Resuming after epoch %d of %d from %s%n",
                            from,
                            fit.epochs(),
                            run.checkpoint());
                }
                List<Callback> callbacks = new ArrayList<>(List.of(
                        new ProgressBar(bar ? 1 : 2, stdout, bar, 0),
                        Checkpoints.every(run.checkpoint(), model, cpExtras)));
                if (tensorboard != null) {
                    callbacks.add(new TensorBoard(tensorboard));
                }
                history = (main == null ? TrainingLoop.LOCAL : main.loop)
                        .fit(
                                model,
                                plan.data().trainingSet(),
                                plan.data().validationSet().orElse(null),
                                fit,
                                callbacks,
                                from);
                score = plan.data().score(model, judging);
                // Everything is computed before anything is written, so a failure leaves no half-written run.
                ObjectNode evaluation = score.toJson();
                byte[] lossPng = Charts.loss(
                        history,
                        spec.compile().loss().jsonName() + " (" + plan.data().lossUnit() + ")");
                byte[] forecastPng = score.plot().isEmpty()
                        ? null
                        : Charts.forecast(
                                plan.name() + ": test split, one-step forecasts",
                                score.plot().get());
                ObjectNode extras = SpecJson.mapper().createObjectNode();
                extras.put(SavedModel.ZOO_FIELD, text(args, "zoo"));
                extras.setAll(plan.modelExtras());
                extras.put("backend", engine.id());
                extras.set("history", HistoryFiles.json(history));
                extras.set("evaluation", evaluation);
                Map<String, byte[]> files = new LinkedHashMap<>();
                files.put("history.json", SpecJson.mapper().writeValueAsBytes(HistoryFiles.json(history)));
                files.put("history.csv", HistoryFiles.csv(history).getBytes(StandardCharsets.UTF_8));
                files.put("evaluation.json", SpecJson.mapper().writeValueAsBytes(evaluation));
                files.put("loss.png", lossPng);
                if (forecastPng != null) {
                    files.put("forecast.png", forecastPng);
                }
                // One atomic swap: all outputs appear together, and a failure keeps the last checkpoint.
                run.commit(model.spec(), model.weights(), extras, files);
            }
        }
        Reports.print(stdout, commandSpec.commandLine().getErr(), score);
        stdout.println("Outputs in " + dir
                + ": model.json, weights.bin, rnn4j.json, history.json, history.csv, evaluation.json, loss.png"
                + (score.plot().isPresent() ? ", forecast.png" : ""));
        stdout.flush();
        return ExitCodes.OK;
    }

    private static String text(ObjectNode args, String key) {
        return args.hasNonNull(key) ? args.get(key).asText() : null;
    }

    /** Saves the data and evaluation options in the run's arguments, so --resume prepares the same data. */
    private void recordArgs(ObjectNode args) {
        args.put("target", input.target);
        if (shape.columns != null) {
            args.put("columns", String.join(",", shape.columns));
        }
        args.put("symbol", input.symbol);
        args.put("by", input.by);
        args.put("delimiter", input.delimiter);
        args.put("dateFormat", input.dateFormat);
        args.put("differencing", shape.differencing);
        if (shape.order != null) {
            args.put("order", shape.order);
        }
        if (shape.horizon != null) {
            args.put("horizon", shape.horizon);
        }
        args.put("strategy", shape.strategy);
        if (verdictOptions.alpha != null) {
            args.put("alpha", verdictOptions.alpha);
        }
        if (verdictOptions.season != null) {
            args.put("season", verdictOptions.season);
        }
    }

    /** The data request the run's arguments make (a resumed run's own, or this command line's). */
    private static DataRequest request(ObjectNode args) {
        ReadOptions defaults = ReadOptions.defaults();
        ReadOptions read = new ReadOptions(
                text(args, "symbol"),
                args.hasNonNull("by") ? args.get("by").asText() : defaults.by(),
                ReadOptions.parseGaps(args.hasNonNull("gaps") ? args.get("gaps").asText() : "refuse"),
                args.hasNonNull("delimiter")
                        ? ReadOptions.parseDelimiter(args.get("delimiter").asText())
                        : ',',
                text(args, "dateFormat"));
        String target = args.hasNonNull("target") ? text(args, "target") : text(args, "column");
        return new DataRequest(
                text(args, "data"),
                target,
                args.hasNonNull("columns")
                        ? Arrays.asList(args.get("columns").asText().split(","))
                        : null,
                read,
                text(args, "differencing"),
                args.hasNonNull("order") ? args.get("order").asInt() : null,
                args.hasNonNull("horizon") ? args.get("horizon").asInt() : null,
                args.hasNonNull("strategy")
                        ? ForecastStrategy.fromJson(args.get("strategy").asText())
                        : null,
                args.hasNonNull("maxChars") ? args.get("maxChars").asInt() : null);
    }

    private static EvaluationOptions evaluationOptions(ObjectNode args) {
        return new EvaluationOptions(
                args.hasNonNull("alpha") ? args.get("alpha").asDouble() : EvaluationOptions.DEFAULT_ALPHA,
                BlockBootstrap.DEFAULT_RESAMPLES,
                42,
                args.hasNonNull("season") ? args.get("season").asInt() : 0);
    }
}
