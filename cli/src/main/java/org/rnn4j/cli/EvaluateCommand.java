package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.io.OutputPaths;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.train.ProgressBar;
import org.rnn4j.data.series.TimeSeries;
import org.rnn4j.zoo.backtest.Backtest;
import org.rnn4j.zoo.evaluation.Score;
import org.rnn4j.zoo.plan.ReadOptions;
import org.rnn4j.zoo.plan.SavedData;
import org.rnn4j.zoo.recipe.PreparedData;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores a trained model on the test split of some data, with the preprocessing saved at training time; or backtests it. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description =
                "Score a trained model on the test split of a dataset, using the preprocessing saved with the model,"
                        + " or backtest a series model over rolling origins.",
        footer = {
            "%nSeries models: forecasts of the test split on the price scale against the naive forecast, a random walk with",
            "drift and the training mean (RMSE, MAE, MAPE, direction), Theil's U with a block bootstrap interval, and a",
            "Diebold-Mariano test (HLN-corrected) whose verdict is one of: better, no evidence of a difference, worse.",
            "Text models: bits per character (or word) beside the unigram entropy of the test text.",
            "%n--backtest cuts the test split into --folds consecutive folds and scores each and all of them pooled;",
            "with --refit every fold trains a fresh model (the run's saved spec and fit settings; --epochs overrides)",
            "on the rows before it, an expanding (all) or sliding (as many as the run had) --window. It writes",
            "backtest.json and backtest.png (Theil's U per fold) into --out (default: the model's folder).",
            "%nExamples:",
            "  rnn4j evaluate --model runs/stock-simple-rnn --data sp500",
            "  rnn4j evaluate --model runs/stock-lstm --data prices.csv --output evaluation.json --alpha 0.01",
            "  rnn4j evaluate --model runs/stock-simple-rnn --backtest --folds 5",
            "  rnn4j evaluate --model runs/stock-simple-rnn --backtest --folds 3 --refit --window sliding --epochs 5"
        })
final class EvaluateCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "A model directory written by 'rnn4j train' (or saved with its preprocessing).")
    Path model;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the evaluation JSON here (atomically).")
    Path output;

    @Option(names = "--backtest", description = "Rolling-origin backtest over the test split (series models).")
    boolean backtest;

    @Option(
            names = "--folds",
            paramLabel = "N",
            defaultValue = "3",
            description = "Backtest folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(
            names = "--window",
            paramLabel = "expanding|sliding",
            defaultValue = "expanding",
            description =
                    "Backtest with --refit: train on all earlier rows or on a sliding window (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--refit", description = "Backtest: train a fresh model per fold with the run's saved settings.")
    boolean refit;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            description = "Backtest with --refit: epochs per fold (default: the run's).")
    Integer epochs;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Backtest: where backtest.json and backtest.png go (default: the model's folder).")
    Path out;

    @Option(names = "--no-progress", description = "Plain log lines instead of a progress bar (backtest with --refit).")
    boolean noProgress;

    @Mixin
    DataOptions input;

    @Mixin
    EvaluationFlags verdictOptions;

    @Mixin
    BackendOption backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        OptionBounds.backtest(folds, epochs);
        OptionBounds.evaluation(verdictOptions.season);
        if (output != null) {
            OutputPaths.checkFile(output, "--output");
        }
        if (out != null) {
            OutputPaths.checkDirectory(out, "--out");
        }
        Backtest.Window windowKind = Backtest.Window.fromJson(window);
        if (!backtest && (refit || epochs != null || out != null)) {
            throw new IllegalArgumentException("--refit, --epochs and --out apply to --backtest");
        }
        SavedModel saved = SavedModel.load(model, "evaluate");
        String source = saved.dataSource(input.data, "evaluate");
        ReadOptions read = input.read(saved.readOptions());
        if (backtest) {
            return backtest(saved, source, read, windowKind, stdout, stderr);
        }
        // A series file too large to prepare in memory streams from its column cache (progress on stderr).
        PreparedData data =
                SavedData.prepare(saved.preprocessing(), source, read, input.target, CacheProgress.streaming(stderr));
        Score score;
        try (Backend b = backend.open();
                Model m = saved.open(b)) {
            score = data.score(m, verdictOptions.options());
        }
        stdout.println("Data: " + source + ", " + data.describe());
        Reports.print(stdout, stderr, score);
        if (output != null) {
            ModelFiles.writeAtomically(output, SpecJson.mapper().writeValueAsBytes(score.toJson()));
            stdout.println("Wrote " + output);
        }
        stdout.flush();
        return ExitCodes.OK;
    }

    private int backtest(
            SavedModel saved,
            String source,
            ReadOptions read,
            Backtest.Window windowKind,
            PrintWriter stdout,
            PrintWriter stderr)
            throws Exception {
        StockPreprocessing pre = saved.series("evaluate --backtest").readingColumn(input.target);
        TimeSeries series = SavedData.series(pre, source, read).series();
        Backtest.Options options = new Backtest.Options(folds, windowKind, refit, verdictOptions.options());
        Path dir = out != null ? out : model;
        Backtest.Result result;
        try (Backend b = backend.open();
                Model m = saved.open(b)) {
            Backtest.FoldModel fm;
            if (refit) {
                ModelSpec spec = saved.loaded().spec();
                FitOptions fit = spec.fit();
                if (epochs != null) {
                    fit = fit.withEpochs(epochs);
                }
                boolean bar = Terminal.attached() && !noProgress;
                fm = Backtest.refitting(spec.withFit(fit), b, List.of(new ProgressBar(bar ? 1 : 2, stdout, bar, 0)));
            } else {
                fm = Backtest.savedModel(m);
            }
            result = Backtest.run(pre, series, options, fm, line -> {
                stdout.println(line);
                stdout.flush();
            });
        }
        ObjectNode json = result.toJson();
        byte[] png = Charts.backtest(saved.loaded().spec().name() + ": Theil's U per backtest fold", result);
        ModelFiles.writeAtomically(
                dir.resolve("backtest.json"), SpecJson.mapper().writeValueAsBytes(json));
        ModelFiles.writeAtomically(dir.resolve("backtest.png"), png);
        if (output != null) {
            ModelFiles.writeAtomically(output, SpecJson.mapper().writeValueAsBytes(json));
        }
        Reports.print(stdout, result.report());
        result.pooled().smallSampleWarning().ifPresent(w -> {
            stderr.println("rnn4j: warning: " + w);
            stderr.flush();
        });
        stdout.println("Outputs in " + dir + ": backtest.json, backtest.png");
        stdout.flush();
        return ExitCodes.OK;
    }
}
