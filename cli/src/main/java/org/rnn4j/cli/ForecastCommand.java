package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import org.rnn4j.zoo.recipe.StreamingForecast;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Forecasts the next prices after the end of a series, recursively, on the price scale. */
@Command(
        name = "forecast",
        mixinStandardHelpOptions = true,
        description =
                "Forecast the next K prices after the last row of a CSV, feeding each prediction back (recursive), "
                        + "with the model's saved differencing and scaler undone.",
        footer = {
            "%nErrors compound with each step: a recursive forecast beyond a few steps is rarely better than the last price.",
            "%nExamples:",
            "  rnn4j forecast --zoo stock-simple-rnn --steps 5          (shipped weights, shipped S&P 500 data)",
            "  rnn4j forecast --model runs/stock-simple-rnn --data sp500 --steps 5",
            "  rnn4j forecast --model runs/stock-lstm --data prices.csv --column Close --steps 10 --output next.json"
        })
final class ForecastCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    TrainedModelChoice source;

    @Option(
            names = "--steps",
            paramLabel = "K",
            defaultValue = "1",
            description = "How many prices to forecast (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the forecast as JSON here (atomically).")
    Path output;

    @Option(
            names = "--follow",
            description = "Then read new prices from standard input, one per line, and print the forecast of the"
                    + " next price after each; the model runs one step per price.")
    boolean follow;

    @Mixin
    DataOptions input;

    @Mixin
    BackendOption backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path model = source.directory("forecast");
        SavedModel saved = SavedModel.load(model, StockPreprocessing.KIND, "forecast");
        StockPreprocessing pre = (StockPreprocessing) saved.preprocessing();
        String source = EvaluateCommand.dataOrDefault(input.data, saved, "forecast");
        DataSources.Series series = DataSources.series(
                source, input.column != null ? input.column : pre.column(), pre.column(), input.gapPolicy());
        double[] prices = series.prices();
        if (prices.length < pre.minimumHistory()) {
            throw new IllegalArgumentException(source + " holds " + prices.length
                    + " prices but the model needs the last " + pre.minimumHistory() + " to forecast");
        }
        try (Backend b = backend.open();
                Model m = saved.open(b)) {
            double[] forecast = pre.forecast(prices, steps, m::predict);
            String last = printForecast(out, series, prices, forecast);
            if (output != null) {
                ObjectNode json = SpecJson.mapper().createObjectNode();
                json.put("column", series.column());
                json.put("after", last);
                json.put("lastPrice", prices[prices.length - 1]);
                ArrayNode a = json.putArray("forecast");
                for (double f : forecast) {
                    a.add(f);
                }
                ModelFiles.writeAtomically(output, SpecJson.mapper().writeValueAsBytes(json));
            }
            if (follow) {
                follow(out, new StreamingForecast(pre, m), prices);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Prints the last known price and the forecast; returns where the series ends (a date or a row). */
    private static String printForecast(
            PrintWriter out, DataSources.Series series, double[] prices, double[] forecast) {
        String last = series.series().hasDates()
                ? series.series().dates().get(prices.length - 1).toString()
                : "row " + prices.length;
        out.printf(Locale.ROOT, "Last known %s: %.4f (%s)%n", series.column(), prices[prices.length - 1], last);
        for (int i = 0; i < forecast.length; i++) {
            out.printf(Locale.ROOT, "t+%d\t%.4f%n", i + 1, forecast[i]);
        }
        out.flush();
        return last;
    }

    /** Reads one price a line from standard input until its end; prints each price and the next forecast. */
    private void follow(PrintWriter out, StreamingForecast stream, double[] prices) throws java.io.IOException {
        stream.acceptAll(prices);
        java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
        out.println("Reading prices from standard input, one per line; each is followed by the next forecast.");
        out.flush();
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            String text = line.trim();
            if (text.isEmpty()) {
                continue;
            }
            double price;
            try {
                price = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "standard input line " + n + " is '" + text + "', not a price; give one number a line");
            }
            double next = stream.accept(price);
            out.printf(Locale.ROOT, "%.4f\tnext %.4f%n", price, next);
            out.flush();
        }
    }
}
