package org.rnn4j.spark.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.bootstrap.Rnn4j;
import org.rnn4j.spark.cluster.StandaloneCluster;
import org.rnn4j.spark.train.DistributedOptions;
import org.rnn4j.spark.train.SparkTrainer;
import org.rnn4j.spark.train.TrainingData;

/**
 * Data-parallel training speed on a standalone cluster of one-core workers on this machine:
 * W1b and W2 (BENCHMARKS.md's models and batch sizes, TensorFlow), one epoch of warm-up then one
 * timed epoch, on 1 and 2 workers, with the time per step split into the slowest partition's
 * compute, the driver's optimizer update, Spark's scheduling (an empty job over the same
 * partitions) and the rest (aggregation: serialising, sending and summing gradients). Also the
 * same model trained in one JVM (the api's Trainer) for reference. Run by {@code spark/bench.sh}.
 */
public final class ScaleBenchmark {
    private ScaleBenchmark() {}

    record Workload(String id, ModelSpec spec, int batch, int batches, boolean tokens) {}

    record Row(
            String workload,
            String where,
            String combine,
            double samplesPerSecond,
            double wallMs,
            double computeMs,
            double driverMs,
            double schedulingMs,
            long toExecutors,
            long toDriver,
            long betweenExecutors) {
        double aggregationMs() {
            return wallMs - computeMs - schedulingMs - driverMs;
        }
    }

    public static void main(String... args) throws Exception {
        Path sparkHome = Path.of(args[0]);
        Path appJar = Path.of(args[1]);
        Path out = Path.of(args[2]);
        // One core per worker, really: TensorFlow's own thread pools pinned to one thread each, in the
        // executors and in the one-JVM reference alike.
        String oneThread = "-Drnn4j.tf.intraOpThreads=1 -Drnn4j.tf.interOpThreads=1";
        System.setProperty("rnn4j.tf.intraOpThreads", "1");
        System.setProperty("rnn4j.tf.interOpThreads", "1");
        List<Workload> workloads = List.of(
                new Workload(
                        "W1b",
                        Sequential.name("w1b")
                                .input(50, 1)
                                .add(Layers.lstm(50).returnSequences(true))
                                .add(Layers.lstm(50))
                                .add(Layers.dense(1))
                                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                                .build(),
                        32,
                        40,
                        false),
                new Workload(
                        "W2",
                        Sequential.name("w2")
                                .tokenInput(100)
                                .add(Layers.embedding(65, 64))
                                .add(Layers.lstm(256).returnSequences(true))
                                .add(Layers.dense(65, Activation.SOFTMAX))
                                .compile(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Adam())
                                .build(),
                        64,
                        8,
                        true));
        List<Row> rows = new ArrayList<>();
        for (Workload w : workloads) {
            rows.add(single(w));
        }
        for (int workers = 1; workers <= 2; workers++) {
            Path work = out.getParent().resolve("scale-cluster-" + workers);
            try (StandaloneCluster cluster =
                    StandaloneCluster.start(sparkHome, work, workers, Duration.ofSeconds(90))) {
                SparkSession spark = cluster.session("rnn4j scale benchmark", oneThread)
                        .config("spark.executor.memory", "2g")
                        .config("spark.jars", appJar.toString())
                        .getOrCreate();
                try {
                    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                    awaitExecutors(sc, workers);
                    // An untimed pass of each workload first: the executors' JIT and engines warm up,
                    // so the first measured configuration is not the one that pays for it.
                    for (Workload w : workloads) {
                        distributed(sc, w, workers, DistributedOptions.exact());
                    }
                    for (Workload w : workloads) {
                        rows.add(distributed(sc, w, workers, DistributedOptions.exact()));
                        if (workers == 2) {
                            rows.add(distributed(
                                    sc,
                                    w,
                                    workers,
                                    DistributedOptions.exact().withCombine(DistributedOptions.Combine.BLOCK_MANAGER)));
                            rows.add(distributed(
                                    sc,
                                    w,
                                    workers,
                                    DistributedOptions.exact()
                                            .withTransfer(DistributedOptions.WeightTransfer.BROADCAST)));
                            rows.add(distributed(
                                    sc, w, workers, DistributedOptions.exact().withLocalSteps(4)));
                        }
                    }
                } finally {
                    spark.stop();
                }
            }
        }
        StringBuilder md = new StringBuilder();
        md.append(
                "| workload | where | combine / transfer | samples/s | ms per step | compute | scheduling |"
                        + " aggregation + rest | driver update | bytes to executors | bytes to driver | bytes between executors |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %.0f | %.1f | %.1f | %.1f | %.1f | %.2f | %,d | %,d | %,d |%n",
                    r.workload(),
                    r.where(),
                    r.combine(),
                    r.samplesPerSecond(),
                    r.wallMs(),
                    r.computeMs(),
                    r.schedulingMs(),
                    r.aggregationMs(),
                    r.driverMs(),
                    r.toExecutors(),
                    r.toDriver(),
                    r.betweenExecutors()));
        }
        Files.writeString(out, md);
        System.out.print(md);
    }

    static Tensor[] data(Workload w) {
        int n = w.batch() * w.batches();
        SplittableRandom rng = new SplittableRandom(17);
        if (w.tokens()) {
            int[] x = new int[n * 100];
            int[] y = new int[n * 100];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextInt(65);
                y[i] = rng.nextInt(65);
            }
            return new Tensor[] {Tensor.wrapInts(x, n, 100), Tensor.wrapInts(y, n, 100)};
        }
        float[] x = new float[n * 50];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            float v = 0;
            for (int t = 0; t < 50; t++) {
                v = 0.9f * v + (float) rng.nextGaussian() * 0.1f;
                x[i * 50 + t] = v;
            }
            y[i] = 0.9f * v;
        }
        return new Tensor[] {Tensor.wrap(x, n, 50, 1), Tensor.wrap(y, n, 1)};
    }

    /** The api's Trainer in this JVM: one epoch of warm-up, one timed. */
    static Row single(Workload w) {
        Tensor[] xy = data(w);
        try (Backend engine = Rnn4j.backend("tf");
                Model m = Model.create(w.spec(), engine, 1)) {
            org.rnn4j.api.data.TensorDataset d = org.rnn4j.api.data.TensorDataset.of(xy[0], xy[1]);
            m.fit(d, null, new FitOptions(1, w.batch(), 0, true, 1), List.of());
            long t = System.nanoTime();
            m.fitFrom(d, null, new FitOptions(2, w.batch(), 0, true, 1), List.of(), 1);
            double s = (System.nanoTime() - t) / 1e9;
            double ms = s * 1000 / w.batches();
            return new Row(w.id(), "one JVM (api Trainer)", "-", xy[0].dim(0) / s, ms, ms, 0, 0, 0, 0, 0);
        }
    }

    static Row distributed(JavaSparkContext sc, Workload w, int workers, DistributedOptions options) {
        Tensor[] xy = data(w);
        try (Backend engine = Rnn4j.backend("tf");
                Model m = Model.create(w.spec(), engine, 1)) {
            TrainingData data = TrainingData.parallelize(sc, xy[0], xy[1], workers);
            new SparkTrainer(sc, m, "tf", options)
                    .fit(data, null, new FitOptions(1, w.batch(), 0, true, 1), List.of(), 0);
            SparkTrainer timed = new SparkTrainer(sc, m, "tf", options);
            long t = System.nanoTime();
            timed.fit(data, null, new FitOptions(2, w.batch(), 0, true, 1), List.of(), 1);
            double s = (System.nanoTime() - t) / 1e9;
            data.release();
            double scheduling = emptyJobMs(sc, workers);
            SparkTrainer.StepTimes st = timed.times();
            String how = options.exactSteps()
                    ? (options.combine() == DistributedOptions.Combine.TREE_AGGREGATE
                                    ? "treeAggregate"
                                    : "block-manager")
                            + " / " + options.transfer().name().toLowerCase(Locale.ROOT)
                    : "averaging every " + options.localSteps() + " steps";
            double perStep = s * 1000 / w.batches();
            return new Row(
                    w.id(),
                    workers + (workers == 1 ? " worker" : " workers") + " x 1 core",
                    how,
                    xy[0].dim(0) / s,
                    perStep,
                    st.computeMs(),
                    st.driverMs(),
                    options.exactSteps()
                            ? scheduling * (options.combine() == DistributedOptions.Combine.BLOCK_MANAGER ? 2 : 1)
                            : scheduling / options.localSteps(),
                    st.bytesToExecutorsPerStep(),
                    st.bytesToDriverPerStep(),
                    st.bytesBetweenExecutorsPerStep());
        }
    }

    /** Mean latency of a job of one trivial task per partition: Spark's scheduling and task launch. */
    static double emptyJobMs(JavaSparkContext sc, int partitions) {
        List<Integer> xs = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            xs.add(i);
        }
        for (int i = 0; i < 20; i++) {
            sc.parallelize(xs, partitions).count();
        }
        long t = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            sc.parallelize(xs, partitions).count();
        }
        return (System.nanoTime() - t) / 1e6 / 50;
    }

    static void awaitExecutors(JavaSparkContext sc, int n) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sc.sc().statusTracker().getExecutorInfos().length < n + 1) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("executors did not register");
            }
            Thread.sleep(100);
        }
    }
}
