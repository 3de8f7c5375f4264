package org.rnn4j.spark.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** One model per key of a long-format table: see {@link org.rnn4j.spark.TrainBy}. */
@Command(name = "train-by", mixinStandardHelpOptions = true, description = "Train one model per key of a long table.")
final class TrainByCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalStateException("train-by is not built yet");
    }
}
