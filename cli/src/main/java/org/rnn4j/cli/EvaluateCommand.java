package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.io.OutputPaths;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.zoo.evaluation.LanguageModelScore;
import org.rnn4j.zoo.recipe.StockData;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import org.rnn4j.zoo.recipe.TextData;
import org.rnn4j.zoo.recipe.TextPreprocessing;
import org.rnn4j.zoo.recipe.WordPreprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores a trained model on the test split of some data, with the preprocessing saved at training time. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description =
                "Score a trained model on the test split of a dataset, using the preprocessing saved with the model.",
        footer = {
            "%nStock models: one-step forecasts of the test prices on the price scale, against the naive forecast",
            "(RMSE, MAE, MAPE, directional accuracy, Theil's U). Text models: bits per character and perplexity.",
            "%nExamples:",
            "  rnn4j evaluate --model runs/stock-simple-rnn --data sp500",
            "  rnn4j evaluate --model runs/stock-lstm --data prices.csv --output evaluation.json"
        })
final class EvaluateCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "A model directory written by 'rnn4j train'.")
    Path model;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the evaluation JSON here (atomically).")
    Path output;

    @Mixin
    DataOptions input;

    @Mixin
    BackendOption backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (output != null) {
            OutputPaths.checkFile(output, "--output");
        }
        SavedModel saved = SavedModel.load(model, null, "evaluate");
        String source = dataOrDefault(input.data, saved, "evaluate");
        ObjectNode json;
        if (saved.preprocessing() instanceof StockPreprocessing pre) {
            DataSources.Series series = DataSources.series(
                    source, input.column != null ? input.column : pre.column(), pre.column(), input.gapPolicy());
            StockData d = pre.windows(series.prices());
            Scoring.StockScore score;
            try (Backend b = backend.open();
                    Model m = saved.open(b)) {
                score = Scoring.stock(m, d);
            }
            json = score.evaluation().toJson();
            out.printf(
                    Locale.ROOT,
                    "Test split of %s: %d prices of %s, one step ahead, on the price scale:%n",
                    series.source(),
                    score.evaluation().steps(),
                    series.column());
            out.print(score.evaluation().table());
            out.println(score.evaluation().verdict());
        } else {
            if (input.column != null) {
                throw new IllegalArgumentException("--column applies to price models; " + model + " is a text model");
            }
            String text = DataSources.text(source);
            TextData d = saved.preprocessing() instanceof TextPreprocessing t
                    ? t.windows(text)
                    : ((WordPreprocessing) saved.preprocessing()).windows(text);
            LanguageModelScore score;
            try (Backend b = backend.open();
                    Model m = saved.open(b)) {
                score = Scoring.text(m, d, saved.loaded().spec().fit().batchSize());
            }
            json = score.toJson();
            out.println("Test split of " + source + ": " + score.describe());
        }
        if (output != null) {
            ModelFiles.writeAtomically(output, SpecJson.mapper().writeValueAsBytes(json));
            out.println("Wrote " + output);
        }
        out.flush();
        return ExitCodes.OK;
    }

    static String dataOrDefault(String data, SavedModel saved, String command) {
        if (data != null) {
            return data;
        }
        String shipped = saved.trainedOnShippedData();
        if (shipped == null) {
            throw new IllegalArgumentException("--data is required: " + saved.path()
                    + " was not trained on a shipped dataset, so " + command + " cannot pick its data");
        }
        return shipped;
    }
}
