package org.rnn4j.spark.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rnn4j.spark.TrainBy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code rnn4j spark train-by}: one model per key of a long-format table, in parallel. */
@Command(
        name = "train-by",
        mixinStandardHelpOptions = true,
        description = "Train one model per key of a long table (key, date, value), each as 'rnn4j train' would alone.",
        footer = {
            "%nEvery other option is 'rnn4j train''s (--zoo or --spec, --epochs, --batch-size, --seed, --backend, ...).",
            "Writes OUT/<key>/ (a run folder per key) and OUT/summary.csv + OUT/summary.parquet (key, Theil's U, RMSE,",
            "naive RMSE), all at once when every key has trained. OUT must be writable by every executor.",
            "%nExample:",
            "  rnn4j spark train-by --master local[2] --input stocks.csv --by symbol --value price \\",
            "      --spec window12.json --epochs 5 --out runs/by-symbol"
        })
final class TrainByCommand implements Callable<Integer> {
    @Mixin
    SparkOptions spark;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "PATH",
            description = "The long table: CSV (with a header) or Parquet.")
    String input;

    @Option(
            names = "--by",
            required = true,
            paramLabel = "COLUMN",
            description = "The key column: one model per value.")
    String by;

    @Option(
            names = "--value",
            paramLabel = "COLUMN",
            defaultValue = "price",
            description = "The value column (default: price).")
    String value;

    @Option(
            names = "--date",
            paramLabel = "COLUMN",
            defaultValue = "date",
            description = "The date column (default: date; 'none' for none).")
    String date;

    @Option(
            names = "--format",
            paramLabel = "csv|parquet",
            description = "The input format (default: from the extension, else parquet).")
    String format;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "The folder of the runs and the summary (must not exist).")
    Path out;

    @Unmatched
    List<String> trainArgs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String fmt = SparkPredictCommand.format(format, input, "--format", false);
        PrintWriter stdout = spec.commandLine().getOut();
        try (SparkSession session = spark.session("rnn4j train-by " + by)) {
            org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(input);
            if (!source.getFileSystem(session.sparkContext().hadoopConfiguration())
                    .exists(source)) {
                throw new IllegalArgumentException("--input " + input + ": no such file or folder");
            }
            Dataset<Row> table = Tables.read(session, input, fmt, "--input", null);
            List<TrainBy.KeyResult> results =
                    TrainBy.run(session, table, by, date.equalsIgnoreCase("none") ? null : date, value, trainArgs, out);
            stdout.printf(Locale.ROOT, "%-12s %10s %12s %12s%n", by, "Theil's U", "RMSE", "naive RMSE");
            for (TrainBy.KeyResult r : results) {
                stdout.printf(
                        Locale.ROOT, "%-12s %10.4f %12.4f %12.4f%n", r.key(), r.theilsU(), r.rmse(), r.naiveRmse());
            }
            stdout.println("Outputs in " + out + ": one run folder per " + by + ", summary.csv, summary.parquet");
            stdout.flush();
        }
        return 0;
    }
}
