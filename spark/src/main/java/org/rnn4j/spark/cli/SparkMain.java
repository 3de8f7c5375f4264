package org.rnn4j.spark.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.rnn4j.spark.SparkErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code rnn4j spark ...}: the commands that run on Spark. Exit codes as {@code rnn4j}'s: 0
 * success, 1 runtime failure, 2 bad usage or bad input (also when an executor found the input
 * bad), each failure one line on stderr.
 */
@Command(
        name = "rnn4j spark",
        mixinStandardHelpOptions = true,
        version = "rnn4j 0.1.0-SNAPSHOT",
        description = "rnn4j on Apache Spark: distributed training, scoring, and one model per series.",
        subcommands = {SparkTrainCommand.class, SparkPredictCommand.class, TrainByCommand.class},
        footer = {
            "%nRun locally with --master local[N], or submit the application jar to a cluster:",
            "  spark-submit --master spark://host:7077 \\",
            "    --class org.rnn4j.spark.cli.SparkMain \\",
            "    spark/target/rnn4j-spark-0.1.0-SNAPSHOT-app.jar \\",
            "    train --zoo stock-simple-rnn --out /shared/runs/a",
            "(SCALE.md has the whole recipe.)",
            "%nExit codes: 0 success, 1 runtime failure, 2 bad usage or bad input."
        })
public final class SparkMain implements Runnable {
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String... args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line in-process; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        System.setProperty("java.awt.headless", "true");
        quietSparkLogs();
        boolean verbose = Arrays.asList(args).contains("--verbose");
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, params) -> {
            err.println("rnn4j spark: error: " + oneLine(ex.getMessage()) + " (see 'rnn4j spark --help')");
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, failed, parse) -> {
            var input = SparkErrors.inputError(ex);
            int code = input.isPresent() ? 2 : 1;
            String msg = input.map(Throwable::getMessage).orElseGet(() -> SparkErrors.message(ex));
            err.println("rnn4j spark: error: " + oneLine(msg)
                    + (code == 1 && !verbose ? " (run with --verbose for details)" : ""));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Spark logs INFO lines by default; unless a log4j2 configuration is given (a -D property, or a
     * {@code log4j2.properties} on the classpath as spark-submit's conf folder provides), only
     * warnings and errors are logged, to stderr.
     */
    static void quietSparkLogs() {
        if (System.getProperty("log4j2.configurationFile") == null
                && ClassLoader.getSystemResource("log4j2.properties") == null) {
            System.setProperty(
                    "log4j2.configurationFile",
                    SparkMain.class
                            .getResource("/org/rnn4j/spark/log4j2-cli.properties")
                            .toString());
        }
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return (nl < 0 ? t : t.substring(0, nl)).strip();
    }
}
