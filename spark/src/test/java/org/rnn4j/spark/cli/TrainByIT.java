package org.rnn4j.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.json.SpecJson;

/** Must-show 4: {@code spark train-by symbol} on the shipped stocks.csv against five separate {@code rnn4j train} runs. */
class TrainByIT {
    static final String SPEC = """
            {"format": "rnn4j.spec/1", "name": "monthly", "input": {"shape": [12, 1], "dtype": "float32"},
             "layers": [{"type": "SimpleRNN", "units": 4}, {"type": "Dense", "units": 1}],
             "compile": {"loss": "mse", "optimizer": "adam", "metrics": ["mae"]},
             "fit": {"epochs": 3, "batch_size": 8, "seed": 42}}
            """;

    @TempDir
    Path tmp;

    @Test
    void oneModelPerSymbolEqualsSeparateTrainRuns() throws Exception {
        Path stocks = tmp.resolve("stocks.csv");
        try (InputStream in = TrainByIT.class.getResourceAsStream("/org/rnn4j/data/demo/stocks.csv")) {
            Files.copy(in, stocks);
        }
        Path spec = tmp.resolve("monthly.json");
        Files.writeString(spec, SPEC);
        Path out = tmp.resolve("by-symbol");
        SparkCliIT.Run run = SparkCliIT.spark(
                        "train-by",
                        "--master",
                        "local[2]",
                        "--input",
                        stocks.toString(),
                        "--by",
                        "symbol",
                        "--value",
                        "price",
                        "--spec",
                        spec.toString(),
                        "--epochs",
                        "3",
                        "--out",
                        out.toString())
                .ok();

        // The reference: five separate rnn4j train runs on the shipped long-format file, one --symbol each.
        List<String> lines = Files.readAllLines(stocks, StandardCharsets.UTF_8);
        List<String> symbols = lines.subList(1, lines.size()).stream()
                .map(l -> l.substring(0, l.indexOf(',')))
                .distinct()
                .toList();
        assertEquals(List.of("MSFT", "AMZN", "IBM", "GOOG", "AAPL"), symbols);
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals("key,theils_u,rmse,naive_rmse", summary.get(0));
        assertEquals(6, summary.size());
        for (String symbol : symbols) {
            Path alone = tmp.resolve("alone-" + symbol);
            SparkCliIT.rnn4j(
                            "train",
                            "--spec",
                            spec.toString(),
                            "--data",
                            "stocks",
                            "--symbol",
                            symbol,
                            "--column",
                            "price",
                            "--epochs",
                            "3",
                            "--out",
                            alone.toString(),
                            "--no-progress")
                    .ok();
            double diff = SparkCliIT.maxAbsDiff(
                    ModelFiles.load(alone).weights(),
                    ModelFiles.load(out.resolve(symbol)).weights());
            assertEquals(0.0, diff, "the " + symbol + " model equals a separate rnn4j train run");
            JsonNode ev =
                    SpecJson.mapper().readTree(alone.resolve("evaluation.json").toFile());
            String row = summary.stream()
                    .filter(l -> l.startsWith(symbol + ","))
                    .findFirst()
                    .orElseThrow();
            String[] cells = row.split(",");
            assertEquals(ev.get("theilsU").asDouble(), Double.parseDouble(cells[1]), 1e-6);
            assertEquals(ev.get("model").get("rmse").asDouble(), Double.parseDouble(cells[2]), 1e-6);
            assertEquals(ev.get("naive").get("rmse").asDouble(), Double.parseDouble(cells[3]), 1e-6);
        }
        assertTrue(run.out().contains("GOOG"), run.out());
        SparkSession spark = SparkSession.builder()
                .master("local[1]")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            List<Row> rows = spark.read()
                    .parquet(out.resolve("summary.parquet").toString())
                    .orderBy("key")
                    .collectAsList();
            assertEquals(
                    List.of("AAPL", "AMZN", "GOOG", "IBM", "MSFT"),
                    rows.stream().map(r -> r.getString(0)).toList());
        } finally {
            spark.stop();
        }
    }

    @Test
    void aMissingColumnIsOneLineAndWritesNothing() throws Exception {
        Path stocks = tmp.resolve("stocks.csv");
        Files.writeString(stocks, "symbol,date,price\nA,Jan 1 2000,1.0\n");
        Path out = tmp.resolve("never");
        SparkCliIT.spark(
                        "train-by",
                        "--master",
                        "local[2]",
                        "--input",
                        stocks.toString(),
                        "--by",
                        "sector",
                        "--zoo",
                        "stock-simple-rnn",
                        "--out",
                        out.toString())
                .badInput("column 'sector' is missing; the table has columns [symbol, date, price]");
        assertFalse(Files.exists(out));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary folder left behind");
        }
    }
}
