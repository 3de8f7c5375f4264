package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.json.SpecJson;

/** train -> evaluate -> forecast for a stock model through the real CLI, on each engine. */
class StockWorkflowIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void trainEvaluateForecast(String backend) throws Exception {
        Path run = tmp.resolve("stock-" + backend);
        Cli train = Cli.run(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--data",
                        "sp500",
                        "--epochs",
                        "2",
                        "--backend",
                        backend,
                        "--out",
                        run.toString(),
                        "--no-progress")
                .ok();
        assertTrue(train.out().contains("Epoch 2/2"), train.out());
        assertTrue(
                train.out()
                        .matches("(?s).*Verdict against the naive last-value forecast at the 5% level:"
                                + " (better|no evidence of a difference|worse) \\(Diebold-Mariano.*"),
                train.out());
        for (String f : new String[] {
            "model.json",
            "weights.bin",
            "rnn4j.json",
            "history.json",
            "history.csv",
            "evaluation.json",
            "loss.png",
            "forecast.png"
        }) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        assertPng(run.resolve("loss.png"));
        assertPng(run.resolve("forecast.png"));
        JsonNode ev = SpecJson.parse(Files.readString(run.resolve("evaluation.json")), "evaluation.json");
        for (String who : new String[] {"model", "naive"}) {
            for (String k : new String[] {"rmse", "mae", "mape", "directionalAccuracy"}) {
                assertTrue(ev.path(who).path(k).isNumber(), who + "." + k);
            }
        }
        assertEquals(
                ev.path("model").path("rmse").asDouble()
                        / ev.path("naive").path("rmse").asDouble(),
                ev.path("theilsU").asDouble(),
                1e-9);
        double p = ev.path("dieboldMariano")
                .path("naive")
                .path("squared")
                .path("pValue")
                .asDouble();
        String verdict = ev.path("verdict").asText();
        assertEquals(p < 0.05 ? verdict : "no evidence of a difference", verdict, "the verdict follows p = " + p);
        assertTrue(ev.path("theilsUInterval").path("lower").asDouble()
                <= ev.path("theilsU").asDouble());
        JsonNode history = SpecJson.parse(Files.readString(run.resolve("history.json")), "history.json");
        assertEquals(2, history.path("loss").size());
        assertEquals(2, history.path("val_loss").size());

        Cli evaluate = Cli.run("evaluate", "--model", run.toString(), "--backend", backend)
                .ok();
        assertTrue(evaluate.out().contains("Theil's U"), evaluate.out());

        Cli forecast = Cli.run("forecast", "--model", run.toString(), "--steps", "3", "--backend", backend)
                .ok();
        long lines =
                forecast.out().lines().filter(l -> l.matches(".*t\\+[123].*")).count();
        assertEquals(3, lines, forecast.out());
    }

    static void assertPng(Path p) throws Exception {
        byte[] b = Files.readAllBytes(p);
        assertTrue(b.length > 5_000, p + " is suspiciously small: " + b.length);
        assertEquals((byte) 0x89, b[0]);
        assertEquals('P', b[1]);
        assertEquals('N', b[2]);
        assertEquals('G', b[3]);
        var img = javax.imageio.ImageIO.read(p.toFile());
        assertTrue(img.getWidth() >= 600 && img.getHeight() >= 300, "size " + img.getWidth() + "x" + img.getHeight());
    }
}
