package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.data.DemoData;

/**
 * Honest forecasting through the real CLI on each engine: backtests, direct multi-step models,
 * several columns, long-format files, verdicts on a series a model can learn. Small models and few
 * epochs: these check the plumbing and the statistics' wiring, not the models' skill.
 */
class ForecastingIT {
    @TempDir
    Path tmp;

    private static JsonNode json(Path file) throws Exception {
        return SpecJson.parse(Files.readString(file), file.toString());
    }

    static Path exampleSpec(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("examples/specs").resolve(name);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("examples/specs/" + name + " not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void threeFoldBacktestWithAndWithoutRefit(String backend) throws Exception {
        Path run = tmp.resolve("run");
        Cli.run(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--epochs",
                        "1",
                        "--backend",
                        backend,
                        "--out",
                        run.toString(),
                        "--no-progress")
                .ok();
        Cli saved = Cli.run("evaluate", "--model", run.toString(), "--backtest", "--folds", "3", "--backend", backend)
                .ok();
        JsonNode b = json(run.resolve("backtest.json"));
        assertEquals(3, b.get("perFold").size());
        int total = 0;
        for (JsonNode f : b.get("perFold")) {
            total += f.get("evaluation").get("steps").asInt();
            assertTrue(f.get("evaluation").get("theilsUInterval").get("lower").isNumber());
        }
        // Without refit the folds split the test split: together they are the plain evaluation's 766 forecasts.
        assertEquals(766, total);
        assertEquals(766, b.get("pooled").get("steps").asInt());
        JsonNode ev = json(run.resolve("evaluation.json"));
        // Per-fold batches may round differently in float32 than the whole test split in one batch.
        assertEquals(
                ev.get("theilsU").asDouble(), b.get("pooled").get("theilsU").asDouble(), 1e-6);
        assertTrue(saved.out().contains("pooled"), saved.out());
        StockWorkflowIT.assertPng(run.resolve("backtest.png"));

        Path refitOut = tmp.resolve("refit");
        Cli refit = Cli.run(
                        "evaluate",
                        "--model",
                        run.toString(),
                        "--backtest",
                        "--folds",
                        "3",
                        "--refit",
                        "--window",
                        "sliding",
                        "--epochs",
                        "1",
                        "--backend",
                        backend,
                        "--out",
                        refitOut.toString(),
                        "--no-progress")
                .ok();
        JsonNode r = json(refitOut.resolve("backtest.json"));
        assertTrue(r.get("refit").asBoolean());
        assertEquals("sliding", r.get("window").asText());
        // Sliding windows keep the saved run's length of history: each fold trains on 4339 rows before it.
        JsonNode folds = r.get("perFold");
        for (JsonNode f : folds) {
            assertEquals(4339, f.get("firstRow").asInt() - f.get("trainFrom").asInt());
        }
        assertTrue(folds.get(2).get("trainFrom").asInt()
                > folds.get(0).get("trainFrom").asInt());
        assertTrue(refit.out().contains("Fold 3/3"), refit.out());
        String verdict = r.get("pooled").get("verdict").asText();
        assertTrue(List.of("better", "no evidence of a difference", "worse").contains(verdict), verdict);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void directFiveStepModelWithADropoutInterval(String backend) throws Exception {
        Path spec = tmp.resolve("direct5.json");
        Files.writeString(spec, """
                {"format": "rnn4j.spec/1", "name": "direct5",
                 "input": {"shape": [20, 1]},
                 "layers": [{"type": "LSTM", "units": 8, "dropout": 0.2}, {"type": "Dropout", "rate": 0.2},
                            {"type": "Dense", "units": 5}],
                 "compile": {"loss": "mse", "optimizer": "adam"},
                 "fit": {"epochs": 1, "batch_size": 64, "seed": 7}}
                """);
        Path run = tmp.resolve("direct");
        Cli train = Cli.run(
                        "train",
                        "--spec",
                        spec.toString(),
                        "--data",
                        "sp500",
                        "--backend",
                        backend,
                        "--out",
                        run.toString(),
                        "--no-progress")
                .ok();
        assertTrue(train.out().contains("5 step(s) ahead (direct)"), train.out());
        JsonNode ev = json(run.resolve("evaluation.json"));
        assertEquals("direct", ev.get("strategy").asText());
        assertEquals(5, ev.get("horizons").size());
        for (int h = 0; h < 5; h++) {
            JsonNode s = ev.get("horizons").get(h);
            assertEquals(h + 1, s.get("step").asInt());
            JsonNode dm = s.get("dieboldMariano").get("naive").get("squared");
            assertEquals(h + 1, dm.get("horizon").asInt(), "the test of step h uses h - 1 autocovariances");
            assertTrue(dm.get("pValue").asDouble() >= 0 && dm.get("pValue").asDouble() <= 1);
            assertTrue(s.get("naive").get("rmse").asDouble() > 0);
        }
        // Naive errors grow with the horizon on a random-walk-like index.
        assertTrue(ev.get("horizons").get(4).get("naive").get("rmse").asDouble()
                > ev.get("horizons").get(0).get("naive").get("rmse").asDouble());

        Path plot = tmp.resolve("future.png");
        Path out = tmp.resolve("next.json");
        Cli f = Cli.run(
                        "forecast",
                        "--model",
                        run.toString(),
                        "--steps",
                        "5",
                        "--samples",
                        "20",
                        "--backend",
                        backend,
                        "--plot",
                        plot.toString(),
                        "--output",
                        out.toString())
                .ok();
        assertEquals(
                5,
                f.out()
                        .lines()
                        .filter(l -> l.matches("t\\+[1-5]\t.*\\[.*, .*\\]"))
                        .count(),
                f.out());
        JsonNode next = json(out);
        for (int h = 0; h < 5; h++) {
            double lo = next.get("interval").get("lower").get(h).asDouble();
            double hi = next.get("interval").get("upper").get(h).asDouble();
            assertTrue(lo < hi, "dropout spreads the samples at step " + (h + 1));
        }
        StockWorkflowIT.assertPng(plot);
        // Seeded: the same interval again.
        Path again = tmp.resolve("again.json");
        Cli.run(
                        "forecast",
                        "--model",
                        run.toString(),
                        "--steps",
                        "5",
                        "--samples",
                        "20",
                        "--backend",
                        backend,
                        "--output",
                        again.toString())
                .ok();
        assertEquals(next.get("interval"), json(again).get("interval"));
        Cli.run("forecast", "--model", run.toString(), "--steps", "6", "--backend", backend)
                .badInput("forecasts 5 steps directly");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void fiveColumnModel(String backend) throws Exception {
        Path run = tmp.resolve("five");
        Cli train = Cli.run(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--columns",
                        "open,high,low,close,volume",
                        "--target",
                        "close",
                        "--epochs",
                        "1",
                        "--backend",
                        backend,
                        "--out",
                        run.toString(),
                        "--no-progress")
                .ok();
        assertTrue(train.out().contains("[open, high, low, close, volume] -> close"), train.out());
        assertEquals(List.of(50, 5), ModelFiles.load(run).spec().inputShape());
        JsonNode pre = json(run.resolve("rnn4j.json")).get("preprocessing");
        assertEquals(5, pre.get("columns").size());
        for (JsonNode c : pre.get("columns")) {
            assertEquals("standard", c.get("scaler").get("type").asText(), "each column has its own scaler");
        }
        assertTrue(
                pre.get("columns").get(4).get("scaler").get("std").asDouble()
                        > 10
                                * pre.get("columns")
                                        .get(3)
                                        .get("scaler")
                                        .get("std")
                                        .asDouble(),
                "volume moves more than close");
        Cli evaluate = Cli.run("evaluate", "--model", run.toString(), "--backend", backend)
                .ok();
        assertTrue(evaluate.out().contains("Verdict against the naive last-value forecast"), evaluate.out());
        Cli.run("forecast", "--model", run.toString(), "--steps", "2", "--backend", backend)
                .badInput("a recursive forecast of 2 steps feeds each prediction back");
        assertEquals(
                1,
                Cli.run("forecast", "--model", run.toString(), "--backend", backend)
                        .ok()
                        .out()
                        .lines()
                        .filter(l -> l.startsWith("t+1"))
                        .count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void symbolOfTheLongFormatStocksCsv(String backend) throws Exception {
        Path csv = tmp.resolve("stocks.csv");
        try (InputStream in = DemoData.open(DemoData.STOCKS)) {
            Files.copy(in, csv);
        }
        Cli.run("train", "--zoo", "stock-simple-rnn", "--data", csv.toString(), "--backend", backend)
                .badInput("names 5 series [MSFT, AMZN, IBM, GOOG, AAPL]; pick one with --symbol");
        Path run = tmp.resolve("amzn");
        Cli train = Cli.run(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--data",
                        csv.toString(),
                        "--symbol",
                        "AMZN",
                        "--epochs",
                        "2",
                        "--backend",
                        backend,
                        "--out",
                        run.toString(),
                        "--no-progress")
                .ok();
        assertTrue(train.out().contains("(symbol AMZN): price, 123 rows"), train.out());
        assertTrue(train.err().contains("rnn4j: warning: only 19 test forecasts: with fewer than 30"), train.err());
        assertEquals(1, train.err().strip().lines().count(), "one warning line: " + train.err());
        // evaluate and forecast read the same series again: the symbol is saved with the model.
        Cli evaluate = Cli.run("evaluate", "--model", run.toString(), "--data", csv.toString(), "--backend", backend)
                .ok();
        assertTrue(evaluate.out().contains("19 forecasts of price"), evaluate.out());
        Cli.run("forecast", "--model", run.toString(), "--data", csv.toString(), "--backend", backend)
                .ok();
        Cli.run(
                        "evaluate",
                        "--model",
                        run.toString(),
                        "--data",
                        csv.toString(),
                        "--symbol",
                        "IBM",
                        "--backend",
                        backend)
                .ok();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void aModelThatLearnsASineWaveIsBetter(String backend) throws Exception {
        Path csv = tmp.resolve("sine.csv");
        StringBuilder b = new StringBuilder("t,value\n");
        for (int t = 0; t < 800; t++) {
            b.append(t)
                    .append(',')
                    .append(100 + 10 * Math.sin(2 * Math.PI * t / 25))
                    .append('\n');
        }
        Files.writeString(csv, b);
        Path run = tmp.resolve("sine");
        Cli train = Cli.run(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--data",
                        csv.toString(),
                        "--target",
                        "value",
                        "--differencing",
                        "absolute",
                        "--epochs",
                        "5",
                        "--backend",
                        backend,
                        "--out",
                        run.toString(),
                        "--no-progress")
                .ok();
        JsonNode ev = json(run.resolve("evaluation.json"));
        assertEquals("better", ev.get("verdict").asText(), train.out());
        assertTrue(ev.get("theilsUInterval").get("upper").asDouble() < 1, train.out());
        assertTrue(train.out().contains("at the 5% level: better ("), train.out());
    }
}
