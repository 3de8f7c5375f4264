package org.rnn4j.cli;

import java.util.List;
import org.rnn4j.zoo.evaluation.ForecastStrategy;
import org.rnn4j.zoo.plan.DataRequest;
import picocli.CommandLine.Option;

/**
 * How a training command shapes a series: {@code --columns}, {@code --differencing},
 * {@code --order}, {@code --horizon}, {@code --strategy}.
 */
final class ShapeOptions {
    @Option(
            names = "--columns",
            split = ",",
            paramLabel = "C1,C2,..",
            description = "Input columns, the target among them, e.g. open,high,low,close,volume (default: the"
                    + " target alone). Each is differenced and scaled on its own, fitted on the training rows.")
    List<String> columns;

    @Option(
            names = "--differencing",
            paramLabel = "KIND",
            description = "none, absolute or percent (default: the model's, percent for the zoo's stock models).")
    String differencing;

    @Option(names = "--order", paramLabel = "N", description = "Differencing order (default: 1).")
    Integer order;

    @Option(
            names = "--horizon",
            paramLabel = "H",
            description = "Steps ahead to forecast and evaluate (default: 1; a spec with output [H] sets it).")
    Integer horizon;

    @Option(
            names = "--strategy",
            paramLabel = "recursive|direct",
            description = "Several steps: recursive (one-step model, predictions fed back; the default) or direct"
                    + " (a Dense(H) head on the next H values).")
    String strategy;

    ForecastStrategy strategy() {
        return strategy == null ? null : ForecastStrategy.fromJson(strategy);
    }

    /** The request these options and {@code data} make. */
    DataRequest request(DataOptions data, Integer maxChars) {
        return new DataRequest(
                data.data, data.target, columns, data.read(null), differencing, order, horizon, strategy(), maxChars);
    }
}
