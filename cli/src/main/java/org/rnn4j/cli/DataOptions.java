package org.rnn4j.cli;

import java.util.Locale;
import org.rnn4j.data.csv.GapPolicy;
import picocli.CommandLine.Option;

/** {@code --data}, {@code --column} and {@code --gaps}: where the prices or text come from, shared by the commands that read data. */
final class DataOptions {

    @Option(
            names = "--data",
            paramLabel = "CSV|TEXT|NAME",
            description =
                    "A CSV file, a text file, or a shipped dataset (sp500, amzn, kjv). Default: the model's own dataset.")
    String data;

    @Option(
            names = "--column",
            paramLabel = "NAME",
            description = "The price column (default: the dataset's or the model's, else Close).")
    String column;

    @Option(
            names = "--gaps",
            paramLabel = "POLICY",
            defaultValue = "refuse",
            description =
                    "Missing cells in a CSV: refuse (default: an error naming the line), drop (skip the row), ffill (repeat the last value).")
    String gaps;

    GapPolicy gapPolicy() {
        return parseGaps(gaps);
    }

    /** Parses a {@code --gaps} value. */
    static GapPolicy parseGaps(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "refuse" -> GapPolicy.REFUSE;
            case "drop" -> GapPolicy.DROP;
            case "ffill", "forward-fill", "forward_fill" -> GapPolicy.FORWARD_FILL;
            default -> throw new IllegalArgumentException("--gaps must be refuse, drop or ffill, got '" + text + "'");
        };
    }
}
