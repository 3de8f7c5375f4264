package org.rnn4j.spark.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.rnn4j.cli.Main;
import org.rnn4j.cli.TrainingLoop;
import org.rnn4j.spark.train.DistributedOptions;
import org.rnn4j.spark.train.SparkTrainer;
import org.rnn4j.spark.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code rnn4j train}, with the epochs run data-parallel on Spark: the same data preparation,
 * checkpoints, {@code --resume}, scoring and run folder, because it is {@code train} itself with
 * its training loop replaced by {@link SparkTrainer}.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train as 'rnn4j train' does, with each batch's gradient computed data-parallel on Spark.",
        footer = {
            "%nEvery option of 'rnn4j train' applies (--zoo, --spec, --data, --epochs, --batch-size, --seed, --out,",
            "--resume, --backend, ...; see 'rnn4j train --help'). With --local-steps 1 (the default) the result equals",
            "'rnn4j train' with the same seed and batch size, on any number of partitions (float32 summation noise).",
            "%nExamples:",
            "  rnn4j spark train --master local[2] --zoo stock-simple-rnn --epochs 3 --out runs/spark-rnn",
            "  spark-submit --master spark://host:7077 --class org.rnn4j.spark.cli.SparkMain rnn4j-spark-app.jar \\",
            "      train --zoo stock-lstm --data /shared/prices.csv --backend dl4j --out /shared/runs/lstm"
        })
final class SparkTrainCommand implements Callable<Integer> {
    @Mixin
    SparkOptions spark;

    @Unmatched
    List<String> trainArgs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DistributedOptions options = spark.distributed();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SparkLoop loop = new SparkLoop(spark, options, out);
        List<String> args = new ArrayList<>();
        args.add("train");
        args.addAll(trainArgs);
        try {
            return Main.run(out, err, loop, args.toArray(String[]::new));
        } finally {
            loop.stop();
        }
    }

    /** Starts Spark only when the data is ready, so bad input never waits for a cluster. */
    private static final class SparkLoop implements TrainingLoop {
        private final SparkOptions spark;
        private final DistributedOptions options;
        private final PrintWriter out;
        private SparkSession session;

        SparkLoop(SparkOptions spark, DistributedOptions options, PrintWriter out) {
            this.spark = spark;
            this.options = options;
            this.out = out;
        }

        @Override
        public org.rnn4j.api.train.History fit(
                org.rnn4j.api.Model model,
                org.rnn4j.api.data.Dataset train,
                org.rnn4j.api.data.Dataset validation,
                org.rnn4j.api.compile.FitOptions fit,
                List<org.rnn4j.api.train.Callback> callbacks,
                int initialEpoch) {
            if (train instanceof org.rnn4j.api.data.TensorDataset t && t.sampleWeight() != null) {
                throw new IllegalArgumentException("the training data has sample weights, which training on Spark"
                        + " does not apply yet; train on one machine or drop them");
            }
            session = spark.session("rnn4j train " + model.spec().name());
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
            int partitions = spark.partitions != null ? spark.partitions : sc.defaultParallelism();
            if (train.sampleCount().isPresent()) {
                partitions = (int) Math.min(partitions, train.sampleCount().getAsLong());
            }
            out.printf(
                    Locale.ROOT,
                    "Spark %s, master %s: %d partitions, %s%n",
                    session.version(),
                    sc.master(),
                    partitions,
                    describe(options));
            out.flush();
            TrainingData data = TrainingData.parallelize(sc, train, partitions);
            SparkTrainer trainer = new SparkTrainer(sc, model, model.backend().id(), options);
            try {
                return trainer.fit(data, validation, fit, callbacks, initialEpoch);
            } finally {
                data.release();
                SparkTrainer.StepTimes t = trainer.times();
                out.printf(
                        Locale.ROOT,
                        "Spark steps: %d, %.1f ms each (slowest partition's compute %.1f ms, driver update %.2f ms);"
                                + " per step %,d bytes of weights to the executors, %,d bytes of gradients to the driver%n",
                        t.steps(),
                        t.wallMs(),
                        t.computeMs(),
                        t.driverMs(),
                        t.bytesToExecutorsPerStep(),
                        t.bytesToDriverPerStep());
                out.flush();
            }
        }

        void stop() {
            if (session != null) {
                session.stop();
            }
        }

        private static String describe(DistributedOptions o) {
            String combine = o.combine() == DistributedOptions.Combine.TREE_AGGREGATE
                    ? "treeAggregate"
                    : "block-manager all-reduce";
            return o.exactSteps()
                    ? "exact steps, gradients by " + combine + ", weights in the "
                            + o.transfer().name().toLowerCase(Locale.ROOT)
                    : "periodic averaging every " + o.localSteps() + " local steps";
        }
    }
}
