package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.io.Checkpoints;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.train.History;
import org.rnn4j.data.csv.GapPolicy;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.ZooModel;
import org.rnn4j.zoo.evaluation.LanguageModelScore;
import org.rnn4j.zoo.recipe.Preprocessing;
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

    /** What to train on, prepared before any engine starts; {@code streamed} instead of tensors for a large file. */
    record Plan(
            String name,
            ModelSpec spec,
            String dataSource,
            DataSources.Series series,
            StockData stock,
            TextData text,
            ObjectNode preprocessing,
            StreamedData streamed) {
        Plan(
                String name,
                ModelSpec spec,
                String dataSource,
                DataSources.Series series,
                StockData stock,
                TextData text,
                ObjectNode preprocessing) {
            this(name, spec, dataSource, series, stock, text, preprocessing, null);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = commandSpec.commandLine().getOut();
        fitting.check();
        if (what == null && !resume) {
            throw new IllegalArgumentException(
                    "give --zoo NAME or --spec FILE (or --resume with the --out of an interrupted run)");
        }
        if (resume && what != null) {
            throw new IllegalArgumentException(
                    "--resume continues with the interrupted run's own settings; drop --zoo/--spec");
        }
        Path dir;
        ObjectNode args;
        Checkpoints.Resumed resumed = null;
        LoadedModel checkpoint = null;
        if (resume) {
            if (out == null) {
                throw new IllegalArgumentException("--resume needs --out DIR, the folder of the interrupted run");
            }
            dir = out;
            Path cp = dir.resolve(CHECKPOINT);
            if (!Files.exists(cp.resolve(ModelFiles.MODEL_JSON))) {
                throw new IllegalArgumentException(
                        dir + " has no training checkpoint to resume; start a new run without --resume");
            }
            checkpoint = ModelFiles.load(cp);
            args = (ObjectNode) checkpoint.extras().get(TRAIN_ARGS);
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
            dir = null;
        }
        Plan plan = plan(
                text(args, "zoo"),
                args.hasNonNull("spec") ? Path.of(args.get("spec").asText()) : null,
                text(args, "data"),
                text(args, "column"),
                args.hasNonNull("maxChars") ? args.get("maxChars").asInt() : null,
                DataOptions.parseGaps(args.hasNonNull("gaps") ? args.get("gaps").asText() : "refuse"),
                commandSpec.commandLine().getErr());
        if (dir == null) {
            dir = out != null ? out : Path.of("runs", plan.name());
            checkOutDir(dir);
        }
        FitOptions fit;
        if (checkpoint != null) {
            fit = checkpoint.spec().fit();
        } else {
            fit = fitting.apply(plan.spec().fit(), plan.spec().fit().epochs());
        }
        ModelSpec spec = plan.spec().withFit(fit);
        ObjectNode cpExtras = SpecJson.mapper().createObjectNode();
        cpExtras.set(TRAIN_ARGS, args);

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
        try (Backend engine = backend.open();
                Model model = checkpoint != null
                        ? (resumed = Checkpoints.restore(dir.resolve(CHECKPOINT), engine)).model()
                        : Model.create(spec, engine, fit.seed())) {
            stdout.println("Backend: " + engine.description());
            stdout.flush();
            Dataset train = plan.streamed() != null
                    ? plan.streamed().train()
                    : plan.stock() != null
                            ? TensorDataset.of(
                                    plan.stock().trainX(), plan.stock().trainY())
                            : TensorDataset.of(plan.text().trainX(), plan.text().trainY());
            Dataset validation = plan.streamed() != null ? plan.streamed().validation() : validation(plan);
            int from = resumed == null ? 0 : resumed.nextEpoch();
            if (resumed != null) {
                stdout.printf(
                        Locale.ROOT,
                        "Resuming after epoch %d of %d from %s%n",
                        from,
                        fit.epochs(),
                        dir.resolve(CHECKPOINT));
            }
            history = model.fitFrom(
                    train,
                    validation,
                    fit,
                    List.of(
                            new ProgressCallback(stdout, bar),
                            Checkpoints.every(dir.resolve(CHECKPOINT), model, cpExtras)),
                    from);
            boolean stock = plan.stock() != null
                    || (plan.streamed() != null && plan.streamed().stock() != null);
            if (stock) {
                stockScore = plan.streamed() != null
                        ? plan.streamed().scoreStock(model, fit.batchSize())
                        : Scoring.stock(model, plan.stock());
                evaluation = stockScore.evaluation().toJson();
                report.add(String.format(
                        Locale.ROOT,
                        "Test split: %d prices of %s, one step ahead, on the price scale:",
                        stockScore.evaluation().steps(),
                        plan.streamed() != null
                                ? plan.streamed().column()
                                : plan.series().column()));
                report.add(stockScore.evaluation().table().stripTrailing());
                report.add(stockScore.evaluation().verdict());
            } else {
                LanguageModelScore score = plan.streamed() != null
                        ? plan.streamed().scoreText(model, fit.batchSize())
                        : Scoring.text(model, plan.text(), fit.batchSize());
                evaluation = score.toJson();
                report.add("Test split: " + score.describe());
            }
            // Everything is computed before anything is written, so a failure leaves no half-written run.
            byte[] lossPng = Charts.loss(
                    history,
                    spec.compile().loss().jsonName() + (stock ? " (of scaled differences)" : " (nats per token)"));
            byte[] forecastPng = stockScore == null
                    ? null
                    : plan.streamed() != null
                            ? Charts.forecast(
                                    plan.streamed().plotTitle(plan.name()),
                                    null,
                                    stockScore.actual(),
                                    stockScore.model(),
                                    stockScore.naive())
                            : stockScore.plot(
                                    plan.name() + ": test split, one-step forecasts", plan.series(), plan.stock());
            ObjectNode extras = SpecJson.mapper().createObjectNode();
            extras.put(SavedModel.ZOO_FIELD, text(args, "zoo"));
            extras.put(SavedModel.DATA_FIELD, plan.dataSource());
            extras.put("backend", engine.id());
            extras.set("preprocessing", plan.preprocessing());
            extras.set("history", HistoryFiles.json(history));
            extras.set("evaluation", evaluation);
            model.save(dir, extras);
            write(dir.resolve("history.json"), SpecJson.mapper().writeValueAsBytes(HistoryFiles.json(history)));
            write(dir.resolve("history.csv"), HistoryFiles.csv(history).getBytes(StandardCharsets.UTF_8));
            write(dir.resolve("evaluation.json"), SpecJson.mapper().writeValueAsBytes(evaluation));
            write(dir.resolve("loss.png"), lossPng);
            if (forecastPng != null) {
                write(dir.resolve("forecast.png"), forecastPng);
            }
        }
        report.forEach(stdout::println);
        stdout.println("Outputs in " + dir
                + ": model.json, weights.bin, rnn4j.json, history.json, history.csv, evaluation.json, loss.png"
                + (stockScore != null ? ", forecast.png" : ""));
        stdout.flush();
        return ExitCodes.OK;
    }

    static final String CHECKPOINT = "checkpoint";
    static final String TRAIN_ARGS = "train_args";

    private static String text(ObjectNode args, String key) {
        return args.hasNonNull(key) ? args.get(key).asText() : null;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        ModelFiles.writeAtomically(file, bytes);
    }

    private static TensorDataset validation(Plan plan) {
        if (plan.stock() != null) {
            return plan.stock().hasValidation()
                    ? TensorDataset.of(plan.stock().validationX(), plan.stock().validationY())
                    : null;
        }
        return plan.text().hasValidation()
                ? TensorDataset.of(plan.text().validationX(), plan.text().validationY())
                : null;
    }

    private static String describe(Plan plan) {
        if (plan.streamed() != null) {
            return plan.streamed().describe();
        }
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

    /** Prepares the data and spec of a zoo model ({@code zooName}) or a price spec file ({@code specFile}) in memory. */
    static Plan plan(String zooName, Path specFile, String data, String column, Integer maxChars, GapPolicy gaps)
            throws IOException {
        return plan(zooName, specFile, data, column, maxChars, gaps, null);
    }

    /**
     * As {@link #plan(String, Path, String, String, Integer, GapPolicy)}, but a file too large for
     * memory is streamed ({@link StreamedData}) when {@code err} is given for its progress line.
     */
    static Plan plan(
            String zooName,
            Path specFile,
            String data,
            String column,
            Integer maxChars,
            GapPolicy gaps,
            PrintWriter err)
            throws IOException {
        if (zooName != null) {
            ZooModel zoo = Zoo.get(zooName);
            Recipe recipe = zoo.recipe();
            String source = data != null ? data : zoo.defaultData();
            if (recipe instanceof StockRecipe || column == null) {
                StreamedData streamed =
                        err == null ? null : StreamedData.prepare(recipe, data, column, maxChars, gaps, err);
                if (streamed != null) {
                    Preprocessing p = streamed.stock() != null
                            ? streamed.stock().preprocessing()
                            : streamed.text().preprocessing();
                    return new Plan(
                            zoo.name(),
                            zoo.spec(p),
                            streamed.source(),
                            null,
                            null,
                            null,
                            streamed.preprocessing(),
                            streamed);
                }
            }
            StreamedData.requireInMemory(recipe, data, maxChars);
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
            String text = DataSources.text(source);
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
        StreamedData streamed = err == null ? null : StreamedData.prepare(recipe, data, column, maxChars, gaps, err);
        if (streamed != null) {
            return new Plan(spec.name(), spec, streamed.source(), null, null, null, streamed.preprocessing(), streamed);
        }
        StreamedData.requireInMemory(recipe, data, maxChars);
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

    static void checkPositive(String option, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, got " + value);
        }
    }

    /** Refuses an output that would overwrite something that is not an earlier run. */
    static void checkOutDir(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " exists and is not a directory; choose a new folder");
        }
        if (!Files.exists(dir.resolve(ModelFiles.MODEL_JSON))) {
            try (var entries = Files.list(dir)) {
                if (entries.anyMatch(p -> !p.getFileName().toString().equals(CHECKPOINT))) {
                    throw new IllegalArgumentException("--out " + dir + " exists and is not an rnn4j run directory;"
                            + " choose a new or empty folder");
                }
            }
        }
    }
}
