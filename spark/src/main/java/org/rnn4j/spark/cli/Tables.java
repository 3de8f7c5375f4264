package org.rnn4j.spark.cli;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.rnn4j.spark.SparkErrors;

/** Reads the commands' input tables; a file Spark cannot read in the given format is bad input. */
final class Tables {
    private Tables() {}

    /**
     * Reads {@code path} as {@code format} (CSV with a header, Parquet or JSON lines). In a CSV,
     * {@code arrayColumn} (if given and present) holds numbers separated by spaces or semicolons
     * and becomes {@code array<double>}.
     */
    static Dataset<Row> read(SparkSession session, String path, String format, String option, String arrayColumn) {
        Dataset<Row> table;
        try {
            table = format.equals("csv")
                    ? session.read().option("header", "true").csv(path)
                    : session.read().format(format).load(path);
            table.schema();
        } catch (RuntimeException e) {
            throw badFile(path, format, option, e);
        } catch (Exception e) {
            // Scala code throws checked SparkExceptions that Java cannot name in a catch of its own.
            throw badFile(path, format, option, e);
        }
        if (format.equals("csv")
                && arrayColumn != null
                && Arrays.asList(table.columns()).contains(arrayColumn)) {
            Column numbers = functions.split(functions.trim(functions.col(arrayColumn)), "[ ;]+");
            table = table.withColumn(arrayColumn, numbers.cast(DataTypes.createArrayType(DataTypes.DoubleType)));
        }
        return table;
    }

    private static IllegalArgumentException badFile(String path, String format, String option, Exception e) {
        return new IllegalArgumentException(
                option + " " + path + " cannot be read as " + format + " (" + SparkMain.oneLine(SparkErrors.message(e))
                        + "); give --format csv, parquet or json to match the file",
                e);
    }
}
