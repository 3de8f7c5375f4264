package org.rnn4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.cli.Main;
import scala.Tuple2;

/**
 * One model per key of a long-format table ({@code key, date, value} rows, e.g. {@code symbol,
 * date, price}), trained in parallel, one Spark task per key. Each key's model is exactly what
 * {@code rnn4j train ... --data <that key's rows> --column <value>} makes alone: the task writes
 * the key's rows, in table order, to a CSV of its own and runs {@code train} on it with the given
 * options. Every run folder ({@code OUT/<key>/}) and the summary ({@code OUT/summary.csv},
 * {@code OUT/summary.parquet}: key, Theil's U, RMSE, naive RMSE) appear together when every key
 * has trained, or not at all: the runs are written into a temporary folder beside {@code OUT}
 * that is renamed at the end. {@code OUT} must be a folder every executor can write (a shared
 * file system).
 */
public final class TrainBy {
    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private TrainBy() {}

    /** One key's result. */
    public record KeyResult(String key, int exitCode, String error, double theilsU, double rmse, double naiveRmse)
            implements Serializable {}

    /**
     * Trains one model per value of {@code by}.
     *
     * @param trainArgs {@code train}'s options without {@code --data}, {@code --column} and {@code --out}
     *                  (a {@code --spec FILE} is read here and handed to the executors)
     * @return the keys' results, sorted by key
     */
    public static List<KeyResult> run(
            SparkSession spark,
            Dataset<Row> table,
            String by,
            String dateColumn,
            String valueColumn,
            List<String> trainArgs,
            Path out)
            throws IOException {
        List<String> columns = Arrays.asList(table.columns());
        for (String c : dateColumn == null ? List.of(by, valueColumn) : List.of(by, dateColumn, valueColumn)) {
            if (!columns.contains(c)) {
                throw new IllegalArgumentException(
                        "column '" + c + "' is missing; the table has columns " + columns + "; name one that exists");
            }
        }
        DataType valueType = table.schema().apply(valueColumn).dataType();
        if (!(valueType instanceof NumericType) && valueType != DataTypes.StringType) {
            throw new IllegalArgumentException("column '" + valueColumn + "' is " + valueType.simpleString()
                    + "; it must hold numbers (one value per row)");
        }
        for (String arg : trainArgs) {
            if (List.of("--data", "--column", "--out", "--resume").contains(arg)) {
                throw new IllegalArgumentException(arg
                        + " is train-by's own business (--input, --value, --out); leave it out of the train options");
            }
        }
        if (Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + " exists; choose a new folder");
        }
        List<String> args = withSpecText(trainArgs);
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempDirectory(parent, "." + out.getFileName() + ".rnn4j-");

        Dataset<Row> rows = table.withColumn("__order", functions.monotonically_increasing_id());
        List<String> keys = rows.select(by)
                .distinct()
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList();
        for (String key : keys) {
            if (key == null || !SAFE_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("key '" + key + "' of column '" + by + "' cannot name a run folder;"
                        + " keys must be letters, digits, '.', '_' or '-'");
            }
        }
        String date = dateColumn;
        String tempDir = temp.toString();
        String value = valueColumn;
        try {
            JavaPairRDD<String, Iterable<Row>> grouped = rows.select(
                            functions.col(by).cast("string"),
                            functions.col("__order"),
                            date == null
                                    ? functions.lit(null).cast("string")
                                    : functions.col(date).cast("string"),
                            functions.col(valueColumn).cast("string"))
                    .javaRDD()
                    .mapToPair(r -> new Tuple2<>(r.getString(0), r))
                    .groupByKey(Math.max(1, keys.size()));
            List<KeyResult> results = grouped.map(kv -> trainOne(kv._1(), kv._2(), date, value, args, tempDir))
                    .collect();
            List<KeyResult> sorted = new ArrayList<>(results);
            sorted.sort(Comparator.comparing(KeyResult::key));
            for (KeyResult r : sorted) {
                if (r.exitCode() != 0) {
                    String msg = "key " + r.key() + ": " + r.error();
                    if (r.exitCode() == 2) {
                        throw new IllegalArgumentException(msg);
                    }
                    throw new IllegalStateException(msg);
                }
            }
            writeSummary(spark, sorted, temp);
            Files.move(temp, out);
            return sorted;
        } finally {
            deleteTree(temp);
        }
    }

    /** On an executor: one key's rows to a CSV, then {@code rnn4j train} on it. */
    static KeyResult trainOne(
            String key, Iterable<Row> rows, String date, String value, List<String> args, String outDir) {
        try {
            List<Row> ordered = new ArrayList<>();
            rows.forEach(ordered::add);
            ordered.sort(Comparator.comparingLong(r -> r.getLong(1)));
            Path work = Files.createTempDirectory("rnn4j-train-by-");
            try {
                Path csv = work.resolve(key + ".csv");
                StringBuilder b = new StringBuilder();
                b.append(date == null ? "" : date + ",").append(value).append('\n');
                for (Row r : ordered) {
                    if (date != null) {
                        b.append(r.isNullAt(2) ? "" : r.getString(2)).append(',');
                    }
                    b.append(r.isNullAt(3) ? "" : r.getString(3)).append('\n');
                }
                Files.writeString(csv, b, StandardCharsets.UTF_8);
                List<String> cmd = new ArrayList<>();
                cmd.add("train");
                for (int i = 0; i < args.size(); i++) {
                    if (args.get(i).equals("--spec-text")) {
                        Path spec = work.resolve("spec.json");
                        Files.writeString(spec, args.get(++i), StandardCharsets.UTF_8);
                        cmd.add("--spec");
                        cmd.add(spec.toString());
                    } else {
                        cmd.add(args.get(i));
                    }
                }
                Path run = Path.of(outDir, key);
                cmd.addAll(
                        List.of("--data", csv.toString(), "--column", value, "--out", run.toString(), "--no-progress"));
                StringWriter so = new StringWriter();
                StringWriter se = new StringWriter();
                int code = Main.run(new PrintWriter(so, true), new PrintWriter(se, true), cmd.toArray(String[]::new));
                if (code != 0) {
                    return new KeyResult(key, code, se.toString().strip().replaceFirst("^rnn4j: error: ", ""), 0, 0, 0);
                }
                JsonNode ev = SpecJson.mapper()
                        .readTree(run.resolve("evaluation.json").toFile());
                return new KeyResult(
                        key,
                        0,
                        null,
                        ev.path("theilsU").asDouble(Double.NaN),
                        ev.path("model").path("rmse").asDouble(Double.NaN),
                        ev.path("naive").path("rmse").asDouble(Double.NaN));
            } finally {
                deleteTree(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("key " + key + ": " + e.getMessage(), e);
        }
    }

    /** {@code --spec FILE} becomes {@code --spec-text JSON}: the executors need not see the driver's files. */
    private static List<String> withSpecText(List<String> args) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--spec") && i + 1 < args.size()) {
                Path spec = Path.of(args.get(++i));
                if (!Files.isRegularFile(spec)) {
                    throw new IllegalArgumentException("--spec " + spec + ": no such file");
                }
                out.add("--spec-text");
                out.add(Files.readString(spec, StandardCharsets.UTF_8));
            } else if (a.startsWith("--spec=")) {
                out.add("--spec-text");
                out.add(Files.readString(Path.of(a.substring("--spec=".length())), StandardCharsets.UTF_8));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    private static void writeSummary(SparkSession spark, List<KeyResult> results, Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("key,theils_u,rmse,naive_rmse\n");
        List<Row> rows = new ArrayList<>();
        for (KeyResult r : results) {
            csv.append(
                    String.format(Locale.ROOT, "%s,%.6f,%.6f,%.6f%n", r.key(), r.theilsU(), r.rmse(), r.naiveRmse()));
            rows.add(RowFactory.create(r.key(), r.theilsU(), r.rmse(), r.naiveRmse()));
        }
        Files.writeString(dir.resolve("summary.csv"), csv, StandardCharsets.UTF_8);
        StructType schema = new StructType()
                .add("key", DataTypes.StringType, false)
                .add("theils_u", DataTypes.DoubleType, false)
                .add("rmse", DataTypes.DoubleType, false)
                .add("naive_rmse", DataTypes.DoubleType, false);
        spark.createDataFrame(rows, schema)
                .coalesce(1)
                .write()
                .parquet(dir.resolve("summary.parquet").toUri().toString());
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
