package org.rnn4j.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code rnn4j} command. {@link #run(PrintWriter, PrintWriter, String...)} runs one command
 * line in-process and returns its exit code: 0 success, 1 runtime failure (training diverged, an
 * engine failed), 2 bad usage or bad input. Errors are one line, {@code rnn4j: error: ...}, on
 * stderr; {@code --verbose} adds the stack trace.
 */
@Command(
        name = "rnn4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "Keras-style recurrent neural networks in Java: train, evaluate and run RNN models on TensorFlow or DL4J.",
        subcommands = {
            SummaryCommand.class,
            PredictCommand.class,
            TrainCommand.class,
            FitCommand.class,
            CompareCommand.class,
            EvaluateCommand.class,
            ForecastCommand.class,
            GenerateCommand.class,
            ZooCommand.class,
            AutoComplete.GenerateCompletion.class
        },
        footer = {
            "%nExamples:",
            "  rnn4j zoo list",
            "  rnn4j summary examples/specs/lstm_50.json",
            "  rnn4j train --zoo stock-simple-rnn --epochs 20",
            "  rnn4j forecast --model runs/stock-simple-rnn --data sp500 --steps 5",
            "  rnn4j generate --model runs/char-onehot-lstm --seed-text 'In the beginning' --length 200",
            "  source <(rnn4j generate-completion)",
            "%nExit codes: 0 success, 1 runtime failure, 2 bad usage or bad input."
        })
public final class Main implements Runnable {

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Who runs {@code train}'s epochs (read by {@link TrainCommand} through its parent command). */
    TrainingLoop loop = TrainingLoop.LOCAL;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String... args) {
        System.exit(run(args));
    }

    /** Runs one command line on the process's stdout and stderr. */
    public static int run(String... args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        try {
            return run(out, err, args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Runs one command line in-process, writing to {@code out} and {@code err}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, TrainingLoop.LOCAL, args);
    }

    /** As {@link #run(PrintWriter, PrintWriter, String...)}, with {@code train}'s epochs run by {@code loop}. */
    public static int run(PrintWriter out, PrintWriter err, TrainingLoop loop, String... args) {
        // Plots are drawn off-screen; a headless JVM never tries to open a display.
        System.setProperty("java.awt.headless", "true");
        quietLibraryLogs();
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        CommandLine cl = commandLine(loop);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, params) -> {
            CommandLine failed = ex.getCommandLine();
            String help = "rnn4j" + subcommandPath(failed) + " --help";
            err.println("rnn4j: error: " + Errors.oneLine(ex.getMessage()) + didYouMean(ex) + " (see '" + help + "')");
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            int code = Errors.exitCode(ex);
            err.println("rnn4j: error: " + Errors.message(ex)
                    + (code == ExitCodes.FAILURE && !verbose ? " (run with --verbose for details)" : ""));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        cl.setExecutionStrategy(Main::backendFirst);
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands Errors through; this one becomes one line, as every runtime failure.
            err.println(
                    "rnn4j: error: " + Errors.outOfMemory(e) + (verbose ? "" : " (run with --verbose for details)"));
            if (verbose) {
                e.printStackTrace(err);
            }
            code = ExitCodes.FAILURE;
        }
        out.flush();
        err.flush();
        return code;
    }

    /** picocli's nearest commands or options for a mistyped one ("trian" -> train), or nothing. */
    static String didYouMean(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u)
                || u.getSuggestions().isEmpty()) {
            return "";
        }
        List<String> s = u.getSuggestions().stream().limit(3).toList();
        return "; did you mean "
                + String.join(" or ", s.stream().map(x -> "'" + x + "'").toList()) + "?";
    }

    /**
     * Runs the chosen command after checking its {@code --backend}, if it has one and it was given:
     * an unknown engine is refused before any data is read, any folder is made or an engine loads.
     */
    private static int backendFirst(CommandLine.ParseResult parsed) {
        List<CommandLine> chain = parsed.asCommandLineList();
        CommandLine last = chain.get(chain.size() - 1);
        for (CommandLine.Model.CommandSpec mixin :
                last.getCommandSpec().mixins().values()) {
            if (mixin.userObject() instanceof BackendOption b && b.id != null) {
                try {
                    b.checkedId();
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ExecutionException(last, e.getMessage(), e);
                }
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /**
     * stdout carries results (tensor JSON, forecasts, generated text), so library logging goes to
     * stderr and only from WARN up. slf4j-simple reads system properties before its properties
     * file, which matters: jHDF's jar ships one that sends INFO logs to stdout. A user's -D wins.
     */
    static void quietLibraryLogs() {
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        }
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // The engines route JavaCPP's warnings to SLF4J; its one warning here is the known, harmless
        // JavaCPP 1.5.11 / OpenBLAS 1.5.7 version pairing (see the parent pom).
        String javacpp = "org.slf4j.simpleLogger.log.org.bytedeco.javacpp.Loader";
        if (System.getProperty(javacpp) == null) {
            System.setProperty(javacpp, "error");
        }
    }

    /** A fresh command tree (commands hold parsed state, so each run gets its own). */
    static CommandLine commandLine() {
        return commandLine(TrainingLoop.LOCAL);
    }

    private static CommandLine commandLine(TrainingLoop loop) {
        Main main = new Main();
        main.loop = loop;
        CommandLine cl = new CommandLine(main);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    private static String subcommandPath(CommandLine cl) {
        StringBuilder b = new StringBuilder();
        for (CommandLine c = cl; c != null && c.getParent() != null; c = c.getParent()) {
            b.insert(0, " " + c.getCommandName());
        }
        return b.toString();
    }
}
