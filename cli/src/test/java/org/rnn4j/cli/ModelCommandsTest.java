package org.rnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.text.InputEncoding;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.ZooModel;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import org.rnn4j.zoo.recipe.TextPreprocessing;
import org.rnn4j.zoo.recipe.TextRecipe;

/** Bad input to predict, evaluate, forecast and generate, refused before any engine starts. */
class ModelCommandsTest {
    @TempDir
    Path tmp;

    Path stockModel;
    Path charModel;
    Path bareModel;

    @BeforeEach
    void saveModels() throws Exception {
        ZooModel stock = Zoo.get("stock-simple-rnn");
        StockPreprocessing sp = ((org.rnn4j.zoo.recipe.StockRecipe) stock.recipe())
                .withColumn("close")
                .fit(DemoData.sp500().select("close"));
        stockModel = CliRun.savedModel(tmp.resolve("stock"), stock.spec(sp), sp, "sp500");
        TextPreprocessing tp =
                new TextRecipe(10, 3, InputEncoding.ONE_HOT, 0, new ChronologicalSplit(0.8, 0.1, 0.1)).fit("abc de\n");
        charModel = CliRun.savedModel(
                tmp.resolve("char"), Zoo.get("char-onehot-lstm").spec(tp).withName("tiny"), tp, null);
        bareModel = CliRun.savedModel(tmp.resolve("bare"), stock.spec(), null, null);
    }

    // ---- forecast

    @Test
    void forecastZeroSteps() {
        CliRun.of("forecast", "--model", stockModel.toString(), "--steps", "0")
                .badInput("--steps must be between 1 and 10000, got 0");
    }

    @Test
    void forecastMissingModel() {
        CliRun.of("forecast", "--model", tmp.resolve("nope").toString()).badInput("no such file or directory");
    }

    @Test
    void forecastFolderThatIsNotAModel() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        CliRun.of("forecast", "--model", tmp.resolve("empty").toString()).badInput("is not a model directory");
    }

    @Test
    void forecastWrongColumn() {
        CliRun.of("forecast", "--model", stockModel.toString(), "--column", "Price")
                .badInput("columns present: [open, high");
    }

    @Test
    void forecastMissingData() {
        CliRun.of(
                        "forecast",
                        "--model",
                        stockModel.toString(),
                        "--data",
                        tmp.resolve("p.csv").toString())
                .badInput("no such file");
    }

    @Test
    void forecastModelWithoutPreprocessing() {
        CliRun.of("forecast", "--model", bareModel.toString(), "--data", "sp500")
                .badInput("has no saved preprocessing");
    }

    @Test
    void forecastWithACharModel() {
        CliRun.of("forecast", "--model", charModel.toString(), "--data", "sp500")
                .badInput("is a 'char' (text) model but forecast needs a series model");
    }

    @Test
    void forecastNeedsDataWhenTheModelWasNotTrainedOnShippedData() throws Exception {
        Path m = CliRun.savedModel(
                tmp.resolve("own"), Zoo.get("stock-simple-rnn").spec(), stockPre(), "/home/me/prices.csv");
        CliRun.of("forecast", "--model", m.toString()).badInput("--data is required");
    }

    private StockPreprocessing stockPre() throws Exception {
        return (StockPreprocessing) org.rnn4j.zoo.recipe.Preprocessing.fromExtras(
                org.rnn4j.api.io.ModelFiles.load(stockModel).extras());
    }

    // ---- evaluate

    @Test
    void evaluateWrongColumn() {
        CliRun.of("evaluate", "--model", stockModel.toString(), "--column", "Price")
                .badInput("no column 'Price'");
    }

    @Test
    void evaluateSpecInsteadOfModel() {
        CliRun.of("evaluate", "--model", CliRun.exampleSpec("lstm_50.json").toString())
                .badInput("holds no trained weights");
    }

    @Test
    void backtestOptionsNeedBacktest() {
        CliRun.of("evaluate", "--model", stockModel.toString(), "--refit").badInput("apply to --backtest");
    }

    @Test
    void backtestOfATextModel() {
        CliRun.of("evaluate", "--model", charModel.toString(), "--backtest", "--data", "kjv")
                .badInput("is a 'char' (text) model but evaluate --backtest needs a series model");
    }

    @Test
    void backtestWithTooManyFolds() {
        CliRun.of("evaluate", "--model", stockModel.toString(), "--backtest", "--folds", "5000")
                .badInput("too few for 5000 folds");
    }

    @Test
    void backtestWindowNames() {
        CliRun.of("evaluate", "--model", stockModel.toString(), "--backtest", "--window", "rolling")
                .badInput("--window must be expanding or sliding, got 'rolling'");
    }

    @Test
    void evaluateAlphaOutOfRange() {
        CliRun.of("evaluate", "--model", stockModel.toString(), "--alpha", "0.7")
                .badInput("alpha (the test level) must be in (0, 0.5]");
    }

    @Test
    void forecastLevelOutOfRange() {
        CliRun.of("forecast", "--model", stockModel.toString(), "--level", "1.5")
                .badInput("--level must be in (0, 1)");
    }

    @Test
    void forecastMoreStepsThanADirectModelHas() throws Exception {
        var recipe = ((org.rnn4j.zoo.recipe.StockRecipe)
                        Zoo.get("stock-simple-rnn").recipe())
                .withColumn("close")
                .withHorizon(3, org.rnn4j.zoo.evaluation.ForecastStrategy.DIRECT);
        StockPreprocessing p = recipe.fit(DemoData.sp500().select("close"));
        Path m = CliRun.savedModel(
                tmp.resolve("direct"), Zoo.get("stock-simple-rnn").spec(p), p, "sp500");
        CliRun.of("forecast", "--model", m.toString(), "--steps", "4").badInput("forecasts 3 steps directly");
    }

    @Test
    void evaluateTextModelOnPrices() {
        CliRun.of("evaluate", "--model", charModel.toString(), "--data", "sp500")
                .badInput("is a price series, not text");
    }

    // ---- predict

    @Test
    void predictMissingInput() {
        CliRun.of(
                        "predict",
                        "--model",
                        stockModel.toString(),
                        "--input",
                        tmp.resolve("x.json").toString())
                .badInput("no such file");
    }

    @Test
    void predictMalformedTensor() throws Exception {
        Path x = tmp.resolve("x.json");
        Files.writeString(x, "{\"shape\": [1, 50, 1], \"dtype\": \"float32\", \"data\": [1, 2]}");
        CliRun.of("predict", "--model", stockModel.toString(), "--input", x.toString())
                .badInput("has 2 values but shape [1,50,1] needs 50");
    }

    @Test
    void predictUnknownTensorField() throws Exception {
        Path x = tmp.resolve("x.json");
        Files.writeString(x, "{\"shape\": [1], \"data\": [1], \"values\": 3}");
        CliRun.of("predict", "--model", stockModel.toString(), "--input", x.toString())
                .badInput("unknown field 'values'");
    }

    @Test
    void predictWithASpecHasNoWeights() throws Exception {
        Path x = tmp.resolve("x.json");
        Files.writeString(x, "{\"shape\": [1, 50, 1], \"data\": [" + "0,".repeat(49) + "0]}");
        CliRun.of("predict", "--model", CliRun.exampleSpec("simple_rnn_10.json").toString(), "--input", x.toString())
                .badInput("has no weights");
    }

    @Test
    void predictRequiresModel() {
        CliRun.of("predict", "--input", "x.json").badInput("Missing required option: '--model=DIR|model.json'");
    }

    // ---- generate

    @Test
    void generateZooModelWithoutShippedWeightsSaysTrainFirst() {
        CliRun.of("generate", "--zoo", "char-onehot-lstm", "--seed-text", "In")
                .badInput("train it first: rnn4j train --zoo char-onehot-lstm");
    }

    @Test
    void generateWithAStockZooModel() {
        CliRun.of("generate", "--zoo", "stock-lstm").badInput("generate works with text models");
    }

    @Test
    void generateUnknownZooModel() {
        CliRun.of("generate", "--zoo", "poet").badInput("unknown zoo model 'poet'");
    }

    @Test
    void generateZeroLength() {
        CliRun.of("generate", "--model", charModel.toString(), "--length", "0")
                .badInput("--length must be between 1 and 100000, got 0");
    }

    @Test
    void generateNegativeTemperature() {
        CliRun.of("generate", "--model", charModel.toString(), "--temperature", "-1")
                .badInput("--temperature must be between 0 and 100, got -1.0");
    }

    @Test
    void generateSeedOutsideTheVocabulary() {
        CliRun.of("generate", "--model", charModel.toString(), "--seed-text", "xyz")
                .badInput("is not in the vocabulary");
    }

    @Test
    void generateWithAStockModel() {
        CliRun.of("generate", "--model", stockModel.toString())
                .badInput("is a 'stock' (series) model but generate needs a text model");
    }
}
