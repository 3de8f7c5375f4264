package org.rnn4j.cli;

import org.rnn4j.data.csv.LongFormatCsv;
import org.rnn4j.zoo.plan.ReadOptions;
import picocli.CommandLine.Option;

/**
 * Where the data comes from and how to read it, shared by the commands that read data:
 * {@code --data}, {@code --target} (or {@code --column}), {@code --symbol}, {@code --by},
 * {@code --gaps}, {@code --delimiter}, {@code --date-format}.
 */
final class DataOptions {

    @Option(
            names = "--data",
            paramLabel = "CSV|TEXT|NAME",
            description = "A CSV file, a text file, or a shipped dataset (sp500, amzn, stocks, kjv). Default: the"
                    + " model's own dataset.")
    String data;

    @Option(
            names = {"--target", "--column"},
            paramLabel = "NAME",
            description = "The column to forecast (default: the dataset's or the model's, else Close).")
    String target;

    @Option(
            names = "--symbol",
            paramLabel = "KEY",
            description = "Long-format CSVs (e.g. symbol,date,price): the series to read. Without it such a file is"
                    + " refused with the list of its keys.")
    String symbol;

    @Option(
            names = "--by",
            paramLabel = "COLUMN",
            description = "The key column of a long-format CSV (default: " + LongFormatCsv.DEFAULT_KEY + ").")
    String by;

    @Option(
            names = "--gaps",
            paramLabel = "POLICY",
            description = "Missing cells in a CSV: refuse (default: an error naming the line), drop (skip the row),"
                    + " ffill (repeat the last value).")
    String gaps;

    @Option(
            names = "--delimiter",
            paramLabel = "CHAR",
            description = "The CSV field delimiter: one character such as ';' or '|', or tab (default: comma).")
    String delimiter;

    @Option(
            names = "--date-format",
            paramLabel = "PATTERN",
            description = "How dates are written, e.g. dd.MM.yyyy or MM/dd/yyyy (default: yyyy-MM-dd or MMM d yyyy).")
    String dateFormat;

    /** The read options given, each absent one taken from {@code saved} (a model's), else the default. */
    ReadOptions read(ReadOptions saved) {
        ReadOptions base = saved != null ? saved : ReadOptions.defaults();
        return new ReadOptions(
                symbol != null ? symbol : base.symbol(),
                by != null ? by : base.by(),
                gaps != null ? ReadOptions.parseGaps(gaps) : base.gaps(),
                delimiter != null ? ReadOptions.parseDelimiter(delimiter) : base.delimiter(),
                dateFormat != null ? dateFormat : base.dateFormat());
    }
}
