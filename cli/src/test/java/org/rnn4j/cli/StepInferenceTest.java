package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.bootstrap.Rnn4j;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.sampling.TemperatureSampler;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import org.rnn4j.zoo.recipe.StreamingForecast;
import org.rnn4j.zoo.recipe.TokenPreprocessing;

/**
 * generate and forecast through step inference (issue 14), on both engines and the shipped
 * models: the same text as sampling from whole-window predictions, and a forecast fed one price
 * at a time equal to the batch forecast over the same prices.
 */
class StepInferenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void generateWritesTheSameTextAsWholeWindowPredictions(String engine) throws Exception {
        SavedModel saved = SavedModel.load(SavedModel.shipped("char-embedding-lstm", "generate"), "generate");
        TokenPreprocessing pre = saved.text("generate");
        try (Backend b = Rnn4j.backend(engine);
                Model m = saved.open(b)) {
            for (double temperature : new double[] {1.0, 0.5, 0.0}) {
                TemperatureSampler sampler = new TemperatureSampler(temperature);
                String whole = pre.generate("And God said", 120, sampler, new SplittableRandom(7), m::predict);
                String stepped =
                        pre.generate("And God said", 120, sampler, new SplittableRandom(7), m.slidingWindowPredictor());
                assertEquals(whole, stepped, engine + " at temperature " + temperature);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void aForecastFedOnePriceAtATimeEqualsTheBatchForecast(String engine) throws Exception {
        SavedModel saved = SavedModel.load(SavedModel.shipped("stock-simple-rnn", "forecast"), "forecast");
        StockPreprocessing pre = saved.series("forecast");
        double[] all = DemoData.sp500().column(pre.target());
        double[] prices = Arrays.copyOfRange(all, all.length - 120, all.length);
        int first = pre.minimumHistory();
        try (Backend b = Rnn4j.backend(engine);
                Model m = saved.open(b)) {
            StreamingForecast stream = new StreamingForecast(pre, m);
            for (int i = 0; i < prices.length; i++) {
                double streamed = stream.accept(prices[i]);
                if (i + 1 < first) {
                    assertTrue(Double.isNaN(streamed), "no forecast before a window of prices");
                    continue;
                }
                double batch = pre.forecast(Arrays.copyOf(prices, i + 1), 1, m::predict)[0];
                assertEquals(batch, streamed, 1e-6 * Math.abs(batch), engine + " after price " + i);
            }
            double[] batch = pre.forecast(prices, 5, m::predict);
            double[] streamed = stream.forecast(5);
            for (int k = 0; k < 5; k++) {
                assertEquals(batch[k], streamed[k], 1e-6 * Math.abs(batch[k]), engine + " t+" + (k + 1));
            }
            // A recursive forecast leaves the stream where it was.
            assertEquals(
                    pre.forecast(Arrays.copyOf(prices, prices.length), 1, m::predict)[0],
                    stream.forecast(1)[0],
                    1e-6 * prices[prices.length - 1]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void forecastFollowReadsPricesFromStandardInput(String engine) throws Exception {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("4800.5\n\n4810.25\n".getBytes(StandardCharsets.UTF_8)));
            CliRun r = CliRun.of("forecast", "--zoo", "stock-simple-rnn", "--backend", engine, "--follow")
                    .ok();
            String[] lines = r.out().strip().split("\n", -1);
            assertTrue(lines[lines.length - 2].startsWith("4800.5000\tnext "), r.out());
            assertTrue(r.out().contains("Reading values from standard input"), r.out());
            assertTrue(lines[lines.length - 1].startsWith("4810.2500\tnext "), r.out());
            System.setIn(new ByteArrayInputStream("4800.5\nabc\n".getBytes(StandardCharsets.UTF_8)));
            CliRun bad = CliRun.of("forecast", "--zoo", "stock-simple-rnn", "--backend", engine, "--follow");
            assertEquals(2, bad.code(), bad.err());
            assertTrue(bad.err().contains("standard input line 2 is 'abc', not a number"), bad.err());
        } finally {
            System.setIn(stdin);
        }
    }
}
