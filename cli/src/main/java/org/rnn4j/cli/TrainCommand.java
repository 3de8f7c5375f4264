package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.io.Checkpoints;
import org.rnn4j.api.io.DataFingerprint;
import org.rnn4j.api.io.Resume;
import org.rnn4j.api.io.RunFolder;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.train.History;
import org.rnn4j.api.train.Trainer;
import org.rnn4j.bootstrap.Rnn4j;
import org.rnn4j.data.csv.GapPolicy;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.ZooModel;
import org.rnn4j.zoo.evaluation.LanguageModelScore;
import org.rnn4j.zoo.recipe.Recipe;
import org.rnn4j.zoo.recipe.StockData;
import org.rnn4j.zoo.recipe.StockRecipe;
import org.rnn4j.zoo.recipe.TextData;
import org.rnn4j.zoo.recipe.TextRecipe;
import org.rnn4j.zoo.recipe.WordRecipe;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
            "%nStock models forecast the next price from windows of percent changes; they are scored on the test split",
            "on the price scale against the naive forecast (tomorrow = today), with Theil's U = model RMSE / naive RMSE.",
            "Text models are scored in bits per character and perplexity.",
            "%nThe run directory gets: model.json + weights.bin + rnn4j.json (with the preprocessing), history.json,",
            "history.csv, evaluation.json, loss.png and (stock models) forecast.png.",
            "%nExamples:",
            "  rnn4j train --zoo stock-simple-rnn --epochs 20",
            "  rnn4j train --zoo stock-lstm --data prices.csv --column 'Adj Close' --backend dl4j --out runs/lstm",
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
    FitOverrides fitting;

    @Option(names = "--out", paramLabel = "DIR", description = "The run directory (default: runs/<name>).")
    Path out;

    @Option(names = "--no-progress", description = "Plain log lines instead of a progress bar.")
    boolean noProgress;

    @Mixin
    BackendOption backend;

    @Spec
    CommandSpec commandSpec;

    /** What to train on, prepared before any engine starts. */
    record Plan(
            String name,
            ModelSpec spec,
            String dataSource,
            DataSources.Series series,
            StockData stock,
            TextData text,
            ObjectNode preprocessing) {}

    @Override
    public Integer call() throws Exception {
        fitting.check();
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
        Checkpoints.Resumed resumed = null;
        Resume checkpoint = resume ? Resume.read(run) : null;
        if (checkpoint != null) {
            args = checkpoint.trainArgs();
        } else {
            args = SpecJson.mapper().createObjectNode();
            args.put("zoo", what.zoo);
            args.put("spec", what.spec == null ? null : what.spec.toString());
            args.put("data", input.data);
            args.put("column", input.column);
            args.put("gaps", input.gaps);
            if (fitting.maxChars != null) {
                args.put("maxChars", fitting.maxChars);
            }
        }
        Plan plan = plan(
                text(args, "zoo"),
                args.hasNonNull("spec") ? Path.of(args.get("spec").asText()) : null,
                text(args, "data"),
                text(args, "column"),
                args.hasNonNull("maxChars") ? args.get("maxChars").asInt() : null,
                DataOptions.parseGaps(args.hasNonNull("gaps") ? args.get("gaps").asText() : "refuse"));
        FitOptions fit;
        if (checkpoint != null) {
            fit = checkpoint.spec().fit();
        } else {
            fit = fitting.apply(plan.spec().fit(), plan.spec().fit().epochs());
        }
        ModelSpec spec = plan.spec().withFit(fit);
        Trainer.Dataset train = plan.stock() != null
                ? new Trainer.Dataset(plan.stock().trainX(), plan.stock().trainY())
                : new Trainer.Dataset(plan.text().trainX(), plan.text().trainY());
        Trainer.Dataset validation = validation(plan);
        DataFingerprint data = DataFingerprint.of(
                plan.dataSource(),
                train.x(),
                train.y(),
                validation == null ? null : validation.x(),
                validation == null ? null : validation.y());
        String engineId = checkpoint != null ? checkpoint.engine(backend.id, force) : backend.id;
        if (checkpoint != null) {
            checkpoint.checkData(data, force);
        }

        stdout.printf(
                Locale.ROOT,
                "Training %s (%,d parameters) on %s: %s%n",
                plan.name(),
                spec.parameterCount(),
                plan.dataSource(),
                describe(plan));
        stdout.flush();
        boolean bar = System.console() != null && !noProgress;
        ObjectNode evaluation;
        List<String> report = new ArrayList<>();
        Scoring.StockScore stockScore = null;
        History history;
        try (Backend engine = Rnn4j.backend(engineId);
                Model model = checkpoint != null
                        ? (resumed = checkpoint.restore(engine)).model()
                        : Model.create(spec, engine, fit.seed())) {
            stdout.println("Backend: " + engine.description());
            stdout.flush();
            ObjectNode cpExtras = Resume.record(args, engine.id(), data);
            int from = resumed == null ? 0 : resumed.nextEpoch();
            if (resumed != null) {
                stdout.printf(
                        Locale.ROOT, "Resuming after epoch %d of %d from %s%n", from, fit.epochs(), run.checkpoint());
            }
            history = model.fitFrom(
                    train,
                    validation,
                    fit,
                    List.of(new ProgressCallback(stdout, bar), Checkpoints.every(run.checkpoint(), model, cpExtras)),
                    from);
            if (plan.stock() != null) {
                stockScore = Scoring.stock(model, plan.stock());
                evaluation = stockScore.evaluation().toJson();
                report.add(String.format(
                        Locale.ROOT,
                        "Test split: %d prices of %s, one step ahead, on the price scale:",
                        stockScore.evaluation().steps(),
                        plan.series().column()));
                report.add(stockScore.evaluation().table().stripTrailing());
                report.add(stockScore.evaluation().verdict());
            } else {
                LanguageModelScore score = Scoring.text(model, plan.text(), fit.batchSize());
                evaluation = score.toJson();
                report.add("Test split: " + score.describe());
            }
            // Everything is computed before anything is written, so a failure leaves no half-written run.
            byte[] lossPng = Charts.loss(
                    history,
                    spec.compile().loss().jsonName()
                            + (plan.stock() != null ? " (of scaled differences)" : " (nats per token)"));
            byte[] forecastPng = stockScore == null
                    ? null
                    : stockScore.plot(plan.name() + ": test split, one-step forecasts", plan.series(), plan.stock());
            ObjectNode extras = SpecJson.mapper().createObjectNode();
            extras.put(SavedModel.ZOO_FIELD, text(args, "zoo"));
            extras.put(SavedModel.DATA_FIELD, plan.dataSource());
            extras.put("backend", engine.id());
            extras.set("preprocessing", plan.preprocessing());
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
        report.forEach(stdout::println);
        stdout.println("Outputs in " + dir
                + ": model.json, weights.bin, rnn4j.json, history.json, history.csv, evaluation.json, loss.png"
                + (stockScore != null ? ", forecast.png" : ""));
        stdout.flush();
        return ExitCodes.OK;
    }

    private static String text(ObjectNode args, String key) {
        return args.hasNonNull(key) ? args.get(key).asText() : null;
    }

    private static Trainer.Dataset validation(Plan plan) {
        if (plan.stock() != null) {
            return plan.stock().hasValidation()
                    ? new Trainer.Dataset(
                            plan.stock().validationX(), plan.stock().validationY())
                    : null;
        }
        return plan.text().hasValidation()
                ? new Trainer.Dataset(plan.text().validationX(), plan.text().validationY())
                : null;
    }

    private static String describe(Plan plan) {
        if (plan.stock() != null) {
            StockData d = plan.stock();
            return String.format(
                    Locale.ROOT,
                    "%s, %d prices -> %d train / %d validation / %d test windows",
                    plan.series().column(),
                    d.prices().length,
                    d.trainX().dim(0),
                    d.hasValidation() ? d.validationX().dim(0) : 0,
                    d.testSize());
        }
        TextData d = plan.text();
        return String.format(
                Locale.ROOT,
                "%d train / %d validation / %d test sequences",
                d.trainX().dim(0),
                d.hasValidation() ? d.validationX().dim(0) : 0,
                d.hasTest() ? d.testX().dim(0) : 0);
    }

    /** Prepares the data and spec of a zoo model ({@code zooName}) or a price spec file ({@code specFile}). */
    static Plan plan(String zooName, Path specFile, String data, String column, Integer maxChars, GapPolicy gaps)
            throws IOException {
        if (zooName != null) {
            ZooModel zoo = Zoo.get(zooName);
            Recipe recipe = zoo.recipe();
            String source = data != null ? data : zoo.defaultData();
            if (recipe instanceof StockRecipe stock) {
                DataSources.Series series = DataSources.series(source, column, stock.column(), gaps);
                StockData d = stock.withColumn(series.column()).prepare(series.prices());
                return new Plan(
                        zoo.name(),
                        zoo.spec(d.preprocessing()),
                        series.source(),
                        series,
                        d,
                        null,
                        d.preprocessing().toJson());
            }
            if (column != null) {
                throw new IllegalArgumentException(
                        "--column applies to price series; " + zoo.name() + " is a text model");
            }
            String text = DataSources.text(source, DataSources.maxChars(maxChars, recipe));
            TextData d;
            if (recipe instanceof TextRecipe t) {
                d = (maxChars != null ? t.withMaxCharacters(maxChars) : t).prepare(text);
            } else if (recipe instanceof WordRecipe w) {
                d = (maxChars != null ? w.withMaxCharacters(maxChars) : w).prepare(text);
            } else {
                throw new IllegalStateException("unhandled recipe " + recipe);
            }
            return new Plan(
                    zoo.name(),
                    zoo.spec(d.preprocessing()),
                    source,
                    null,
                    null,
                    d,
                    d.preprocessing().toJson());
        }
        ModelSpec spec = ModelSource.spec(specFile);
        int window = priceWindow(spec, specFile);
        StockRecipe recipe = StockRecipe.article().withWindow(window);
        DataSources.Series series = DataSources.series(data != null ? data : "sp500", column, recipe.column(), gaps);
        StockData d = recipe.withColumn(series.column()).prepare(series.prices());
        return new Plan(
                spec.name(),
                spec,
                series.source(),
                series,
                d,
                null,
                d.preprocessing().toJson());
    }

    /** The window of a spec that reads prices: input {@code [window, 1]} float32, output {@code [1]}. */
    static int priceWindow(ModelSpec spec, Path source) {
        List<Integer> in = spec.inputShape();
        if (spec.inputDType() != DType.FLOAT32
                || in.size() != 2
                || in.get(1) != 1
                || in.get(0) < 1
                || !spec.outputShape().equals(List.of(1))) {
            throw new IllegalArgumentException(
                    "train --spec trains price models: the input must be [window, 1] float32 and the output [1], but "
                            + source + " takes " + in + " " + spec.inputDType().jsonName() + " and outputs "
                            + spec.outputShape()
                            + "; for text models use --zoo char-onehot-lstm, char-embedding-lstm or word-embedding-lstm");
        }
        return in.get(0);
    }
}
