package org.rnn4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.io.OutputPaths;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.data.series.TimeSeries;
import org.rnn4j.zoo.plan.SavedData;
import org.rnn4j.zoo.recipe.SeriesForecast;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import org.rnn4j.zoo.recipe.StreamingForecast;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Forecasts the next values after the end of a series, on the price scale, with a Monte-Carlo dropout interval. */
@Command(
        name = "forecast",
        mixinStandardHelpOptions = true,
        description = "Forecast the next K values after the last row of a series, with the model's saved differencing"
                + " and scalers undone: directly (a Dense(H) model) or recursively (each prediction fed back).",
        footer = {
            "%nA model with dropout gets an interval: the forecast repeated --samples times with dropout active (seeded),",
            "the middle --level of the samples per step. It shows the model's own uncertainty, not the noise of the",
            "series. Errors compound with each recursive step: beyond a few steps a recursive forecast is rarely better",
            "than the last price.",
            "%nExamples:",
            "  rnn4j forecast --zoo stock-simple-rnn --steps 5          (shipped weights, shipped S&P 500 data)",
            "  rnn4j forecast --model runs/stock-simple-rnn --data sp500 --steps 5 --plot forecast.png",
            "  rnn4j forecast --model runs/direct5 --steps 5 --samples 200 --level 0.8 --output next.json",
            "  tail -f prices.txt | rnn4j forecast --zoo stock-simple-rnn --follow"
        })
final class ForecastCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    TrainedModelChoice source;

    @Option(
            names = "--steps",
            paramLabel = "K",
            defaultValue = "1",
            description = "How many values to forecast (default: ${DEFAULT-VALUE}; at most H for a direct model).")
    int steps;

    @Option(
            names = "--samples",
            paramLabel = "S",
            defaultValue = "100",
            description = "Monte-Carlo dropout samples for the interval (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(
            names = "--level",
            paramLabel = "L",
            defaultValue = "0.9",
            description = "The interval's level, the middle share of the samples (default: ${DEFAULT-VALUE}).")
    double level;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "42",
            description = "Seed of the dropout samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the forecast as JSON here (atomically).")
    Path output;

    @Option(
            names = "--follow",
            description = "Then read new values of the target from standard input, one per line, and print the"
                    + " forecast of the next one after each; the model runs one step per value (one-column models).")
    boolean follow;

    @Option(
            names = "--plot",
            paramLabel = "FILE.png",
            description = "Draw the last known values, the forecast and its interval (dated when the series is).")
    Path plot;

    @Mixin
    DataOptions input;

    @Mixin
    BackendOption backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OptionBounds.forecast(steps, samples);
        if (output != null) {
            OutputPaths.checkFile(output, "--output");
        }
        if (plot != null) {
            OutputPaths.checkFile(plot, "--plot");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("--level must be in (0, 1), e.g. 0.9; got " + level);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path model = source.directory("forecast");
        SavedModel saved = SavedModel.load(model, "forecast");
        StockPreprocessing pre = saved.series("forecast").readingColumn(input.target);
        String data = saved.dataSource(input.data, "forecast");
        // Only the last rows are read: the model's history, the plot's and the dates' (a file too large for memory
        // streams from its column cache, without dates).
        int rows = pre.minimumHistory() + SeriesForecast.HISTORY + 6 * steps + 21;
        TimeSeries series = SavedData.tail(
                pre,
                data,
                input.read(saved.readOptions()),
                rows,
                CacheProgress.streaming(spec.commandLine().getErr()));
        if (series.length() < pre.minimumHistory()) {
            throw new IllegalArgumentException(data + " holds " + series.length()
                    + " rows but the model needs the last " + pre.minimumHistory() + " to forecast");
        }
        SeriesForecast forecast;
        try (Backend b = backend.open();
                Model m = saved.open(b)) {
            forecast = SeriesForecast.of(pre, series, steps, m, samples, level, seed);
        }
        Reports.print(out, forecast.lines());
        if (output != null) {
            ModelFiles.writeAtomically(output, SpecJson.mapper().writeValueAsBytes(forecast.toJson()));
        }
        if (plot != null) {
            ModelFiles.writeAtomically(
                    plot,
                    Charts.future(
                            saved.loaded().spec().name() + ": the next " + steps + " value(s) of " + pre.target(),
                            forecast));
        }
        if (follow) {
            try (Backend b = backend.open();
                    Model m = saved.open(b)) {
                follow(out, new StreamingForecast(pre, m), series.column(pre.target()));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Reads one value a line from standard input until its end; prints each value and the next forecast. */
    private static void follow(PrintWriter out, StreamingForecast stream, double[] known) throws java.io.IOException {
        stream.acceptAll(known);
        java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
        out.println("Reading values from standard input, one per line; each is followed by the next forecast.");
        out.flush();
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            String text = line.trim();
            if (text.isEmpty()) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "standard input line " + n + " is '" + text + "', not a number; give one value a line");
            }
            out.printf(java.util.Locale.ROOT, "%.4f\tnext %.4f%n", value, stream.accept(value));
            out.flush();
        }
    }
}
