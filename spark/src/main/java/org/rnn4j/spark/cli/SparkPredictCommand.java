package org.rnn4j.spark.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.rnn4j.bootstrap.Rnn4j;
import org.rnn4j.spark.RnnModelTransformer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Scores a table of windows or token ids with a saved model ({@link RnnModelTransformer}) and
 * writes the table with a prediction column. The output appears complete or not at all: it is
 * written beside its final path and renamed into place when the job has succeeded.
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = "Append the model's prediction to every row of a CSV or Parquet table, on Spark.",
        footer = {
            "%nThe input column holds one sample per row: in Parquet/JSON an array (array<double> windows, time-major;",
            "array<array<double>> as [time][features]; array<int> token ids), in CSV a string of numbers separated by",
            "spaces or semicolons. The output is Parquet (arrays kept) or CSV (arrays as space-separated numbers).",
            "%nExamples:",
            "  rnn4j spark predict --master local[2] --model runs/stock-simple-rnn --input windows.parquet \\",
            "      --input-col window --output scored.parquet",
            "  rnn4j spark predict --model /shared/runs/lstm --input windows.csv --input-col window --output out.csv"
        })
final class SparkPredictCommand implements Callable<Integer> {
    @Mixin
    SparkOptions spark;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "The trained model folder (readable by every executor).")
    String model;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "PATH",
            description = "The table: a CSV or Parquet file or folder.")
    String input;

    @Option(
            names = "--input-col",
            paramLabel = "NAME",
            defaultValue = "input",
            description = "The column of samples (default: input).")
    String inputCol;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "PATH",
            description = "Where to write the scored table (must not exist).")
    String output;

    @Option(
            names = "--output-col",
            paramLabel = "NAME",
            defaultValue = "prediction",
            description = "The prediction column (default: prediction).")
    String outputCol;

    @Option(
            names = "--format",
            paramLabel = "csv|parquet|json",
            description = "The input format (default: from the extension, else parquet).")
    String format;

    @Option(
            names = "--output-format",
            paramLabel = "csv|parquet",
            description = "The output format (default: from the extension, else parquet).")
    String outputFormat;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "256",
            description = "Rows per engine call (default: 256).")
    int batchSize;

    @Option(
            names = "--backend",
            paramLabel = "tf|dl4j",
            description = "The engine on the executors (default: RNN4J_BACKEND, else tf).")
    String backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        String inFormat = format(format, input, "--format", true);
        String outFormat = format(outputFormat, output, "--output-format", false);
        String engine = Rnn4j.resolveId(backend);
        if (!engine.equals("tf") && !engine.equals("dl4j")) {
            throw new IllegalArgumentException("--backend must be tf or dl4j, got '" + engine + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SparkSession session = spark.session("rnn4j predict")) {
            Path target = new Path(output);
            FileSystem fs = target.getFileSystem(session.sparkContext().hadoopConfiguration());
            if (fs.exists(target)) {
                throw new IllegalArgumentException("--output " + output + " exists; choose a new path");
            }
            Path source = new Path(input);
            if (!source.getFileSystem(session.sparkContext().hadoopConfiguration())
                    .exists(source)) {
                throw new IllegalArgumentException("--input " + input + ": no such file or folder");
            }
            Dataset<Row> table = Tables.read(session, input, inFormat, "--input", inputCol);
            Dataset<Row> scored = new RnnModelTransformer()
                    .setModelPath(model)
                    .setInputCol(inputCol)
                    .setOutputCol(outputCol)
                    .setBackend(engine)
                    .setBatchSize(batchSize)
                    .transform(table);
            Path temp = new Path(target.getParent(), "." + target.getName() + ".rnn4j-" + UUID.randomUUID());
            try {
                write(outFormat.equals("csv") ? flattenArrays(scored) : scored, outFormat, temp.toString());
                if (!fs.rename(temp, target)) {
                    throw new IOException("cannot move the finished output " + temp + " to " + output);
                }
            } finally {
                if (fs.exists(temp)) {
                    fs.delete(temp, true);
                }
            }
            long rows = session.read()
                    .format(outFormat)
                    .option("header", "true")
                    .load(output)
                    .count();
            out.printf(Locale.ROOT, "Scored %,d rows with %s on %s: %s (%s)%n", rows, model, engine, output, outFormat);
            out.flush();
        }
        return 0;
    }

    private static void write(Dataset<Row> table, String fmt, String path) {
        table.write().format(fmt).option("header", "true").save(path);
    }

    /** CSV holds no arrays: each array column becomes its numbers separated by spaces. */
    private static Dataset<Row> flattenArrays(Dataset<Row> table) {
        Dataset<Row> out = table;
        for (StructField f : table.schema().fields()) {
            if (f.dataType() instanceof ArrayType) {
                out = out.withColumn(
                        f.name(),
                        functions.concat_ws(" ", functions.col(f.name()).cast("array<string>")));
            }
        }
        return out;
    }

    static String format(String given, String path, String option, boolean allowJson) {
        String f = given;
        if (f == null) {
            String p = path.toLowerCase(Locale.ROOT);
            f = p.endsWith(".csv") ? "csv" : p.endsWith(".json") && allowJson ? "json" : "parquet";
        }
        f = f.toLowerCase(Locale.ROOT);
        if (!(f.equals("csv") || f.equals("parquet") || allowJson && f.equals("json"))) {
            throw new IllegalArgumentException(
                    option + " must be csv or parquet" + (allowJson ? " or json" : "") + ", got '" + given + "'");
        }
        return f;
    }
}
