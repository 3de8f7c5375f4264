package org.rnn4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.ZooModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Lists the zoo and shows a zoo model's spec. */
@Command(
        name = "zoo",
        mixinStandardHelpOptions = true,
        description = "List the zoo's ready-to-train models or show one's spec.",
        subcommands = {ZooCommand.ListCommand.class, ZooCommand.ShowCommand.class},
        footer = {"%nExamples:", "  rnn4j zoo list", "  rnn4j zoo show stock-simple-rnn > my_spec.json"})
final class ZooCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ListCommand.print(spec.commandLine().getOut());
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the zoo models with their data and parameter counts.",
            footer = {"%nExample:", "  rnn4j zoo list"})
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            print(spec.commandLine().getOut());
            return ExitCodes.OK;
        }

        static void print(PrintWriter out) {
            out.printf(Locale.ROOT, "%-22s %-8s %10s  %s%n", "NAME", "DATA", "PARAMS", "DESCRIPTION");
            for (ZooModel m : Zoo.list()) {
                out.printf(
                        Locale.ROOT,
                        "%-22s %-8s %,10d  %s%n",
                        m.name(),
                        m.defaultData(),
                        m.spec().parameterCount(),
                        m.description());
            }
            out.flush();
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print a zoo model's spec as rnn4j spec JSON.",
            footer = {
                "%nThe output is a spec file: edit it and train it with 'rnn4j train --spec FILE'.",
                "%nExample:",
                "  rnn4j zoo show stock-lstm > stock_lstm.json"
            })
    static final class ShowCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "A zoo model name (see 'rnn4j zoo list').")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(SpecJson.write(Zoo.get(name).spec()));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
