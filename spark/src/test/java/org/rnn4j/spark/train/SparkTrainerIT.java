package org.rnn4j.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.History;
import org.rnn4j.api.train.TrainingContext;
import org.rnn4j.bootstrap.Rnn4j;

/**
 * Distributed training on local[2] against the single-machine {@code Model.fit} (the api's
 * Trainer) from the same seed: same weights within float32 summation noise, for both ways of
 * combining gradients and both ways of shipping weights, with dropout (masks of the global batch
 * sliced per partition) and a batch size that leaves a short last batch.
 */
class SparkTrainerIT {
    static SparkSession spark;
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .appName("train")
                .master("local[2]")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static ModelSpec spec() {
        return Sequential.name("small")
                .input(6, 1)
                .add(Layers.simpleRnn(5))
                .add(Layers.dropout(0.25))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(), Metric.MAE)
                .build();
    }

    static Tensor[] data(int n) {
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[n * 6];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            float s = 0;
            for (int t = 0; t < 6; t++) {
                x[i * 6 + t] = (float) rng.nextGaussian();
                s += x[i * 6 + t] * (t + 1) / 6f;
            }
            y[i] = s / 3;
        }
        return new Tensor[] {Tensor.wrap(x, n, 6, 1), Tensor.wrap(y, n, 1)};
    }

    @ParameterizedTest
    @CsvSource({
        "tf, TREE_AGGREGATE, TASK",
        "tf, TREE_AGGREGATE, BROADCAST",
        "tf, BLOCK_MANAGER, TASK",
        "dl4j, TREE_AGGREGATE, TASK",
        "dl4j, BLOCK_MANAGER, BROADCAST"
    })
    void exactStepsEqualSingleMachineTraining(
            String backend, DistributedOptions.Combine combine, DistributedOptions.WeightTransfer transfer) {
        Tensor[] xy = data(150);
        FitOptions fit = new FitOptions(3, 16, 0, true, 42);
        try (Backend engine = Rnn4j.backend(backend);
                Model single = Model.create(spec(), engine, 42);
                Model distributed = Model.create(spec(), engine, 42)) {
            History expected = single.fit(org.rnn4j.api.data.TensorDataset.of(xy[0], xy[1]), null, fit, List.of());
            TrainingData data = TrainingData.parallelize(sc, xy[0], xy[1], 2);
            SparkTrainer trainer = new SparkTrainer(
                    sc,
                    distributed,
                    backend,
                    DistributedOptions.exact().withCombine(combine).withTransfer(transfer));
            History got = trainer.fit(data, null, fit, List.of(), 0);
            data.release();
            double diff = maxAbsDiff(single.weights(), distributed.weights());
            assertTrue(diff <= 1e-5, "max abs weight difference " + diff);
            assertTrue(
                    maxAbsDiff(
                                    single.weights(),
                                    Model.create(spec(), engine, 42).weights())
                            > 1e-3,
                    "training moved the weights");
            assertEquals(expected.get("loss").size(), got.get("loss").size());
            for (int e = 0; e < 3; e++) {
                assertEquals(expected.get("loss").get(e), got.get("loss").get(e), 1e-6);
                assertEquals(expected.get("mae").get(e), got.get("mae").get(e), 1e-6);
            }
            assertEquals(30, trainer.times().steps());
        }
    }

    @Test
    void periodicAveragingTrainsWithFewerJobsAndOtherNumbers() {
        Tensor[] xy = data(150);
        FitOptions fit = new FitOptions(3, 16, 0, true, 42);
        try (Backend engine = Rnn4j.backend("tf");
                Model exact = Model.create(spec(), engine, 42);
                Model averaged = Model.create(spec(), engine, 42)) {
            TrainingData data = TrainingData.parallelize(sc, xy[0], xy[1], 2);
            History e =
                    new SparkTrainer(sc, exact, "tf", DistributedOptions.exact()).fit(data, null, fit, List.of(), 0);
            History a = new SparkTrainer(
                            sc, averaged, "tf", DistributedOptions.exact().withLocalSteps(5))
                    .fit(data, null, fit, List.of(), 0);
            data.release();
            assertTrue(a.get("loss").get(2) < a.get("loss").get(0), "averaging trains: " + a.get("loss"));
            assertTrue(maxAbsDiff(exact.weights(), averaged.weights()) > 1e-4, "different numbers than exact");
            assertEquals(30, averaged.optimizer().iterations(), "one optimizer iteration per global batch");
            assertTrue(e.get("loss").get(2) < e.get("loss").get(0));
        }
    }

    /** Samples read from a table where its rows are (the driver never holds them) train as the same samples in memory. */
    @Test
    void aTableOfWindowsTrainsAsTheSameSamplesInMemory() {
        Tensor[] xy = data(90);
        List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 90; i++) {
            double[] w = new double[6];
            for (int t = 0; t < 6; t++) {
                w[t] = xy[0].floatView()[i * 6 + t];
            }
            rows.add(org.apache.spark.sql.RowFactory.create(w, (double) xy[1].floatView()[i]));
        }
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add(
                        "window",
                        org.apache.spark.sql.types.DataTypes.createArrayType(
                                org.apache.spark.sql.types.DataTypes.DoubleType))
                .add("next", org.apache.spark.sql.types.DataTypes.DoubleType);
        // Rows in order, cut into three contiguous partitions (global indices 0..89 in row order).
        var table = spark.createDataFrame(sc.parallelize(rows, 3), schema);
        FitOptions fit = new FitOptions(2, 16, 0, true, 42);
        try (Backend engine = Rnn4j.backend("tf");
                Model single = Model.create(spec(), engine, 42);
                Model distributed = Model.create(spec(), engine, 42)) {
            single.fit(org.rnn4j.api.data.TensorDataset.of(xy[0], xy[1]), null, fit, List.of());
            TrainingData ordered =
                    TrainingData.fromTable(table, "window", "next", new int[] {6, 1}, new int[] {1}, false);
            assertEquals(90, ordered.size());
            assertEquals(3, ordered.partitions());
            new SparkTrainer(sc, distributed, "tf", DistributedOptions.exact()).fit(ordered, null, fit, List.of(), 0);
            ordered.release();
            double diff = maxAbsDiff(single.weights(), distributed.weights());
            assertTrue(diff <= 1e-5, "max abs weight difference " + diff);
            IllegalArgumentException missing = assertThrows(
                    IllegalArgumentException.class,
                    () -> TrainingData.fromTable(table, "windows", "next", new int[] {6, 1}, new int[] {1}, false));
            assertEquals(
                    "column 'windows' is missing; the table has columns [window, next]; name one that exists",
                    missing.getMessage());
        }
    }

    /**
     * Hinge loss on 0/1 labels: the api's Trainer turns them into -1/1 for the loss (Keras's
     * convert_binary_labels_to_hinge), so the executors must too; a callback's epoch logs reach the
     * history as in Model.fit.
     */
    @Test
    void hingeTargetsAndEpochLogsAsOnOneMachine() {
        ModelSpec hinge = Sequential.name("hinge")
                .input(6, 1)
                .add(Layers.simpleRnn(4))
                .add(Layers.dense(1, Activation.TANH))
                .compile(Loss.HINGE, new OptimizerSpec.Adam())
                .build();
        Tensor[] xy = data(60);
        float[] labels = xy[1].floatView();
        float[] binary = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            binary[i] = labels[i] > 0 ? 1f : 0f;
        }
        Tensor y = Tensor.wrap(binary, labels.length, 1);
        FitOptions fit = new FitOptions(2, 16, 0, true, 42);
        Callback logs = new Callback() {
            @Override
            public void onEpochLogs(TrainingContext ctx, int epoch, Map<String, Double> l) {
                l.put("epoch_seen", (double) epoch);
            }
        };
        try (Backend engine = Rnn4j.backend("tf");
                Model single = Model.create(hinge, engine, 42);
                Model distributed = Model.create(hinge, engine, 42)) {
            History expected = single.fit(TensorDataset.of(xy[0], y), null, fit, List.of(logs));
            TrainingData data = TrainingData.parallelize(sc, xy[0], y, 2);
            History got = new SparkTrainer(sc, distributed, "tf", DistributedOptions.exact())
                    .fit(data, null, fit, List.of(logs), 0);
            data.release();
            double diff = maxAbsDiff(single.weights(), distributed.weights());
            assertTrue(diff <= 1e-5, "max abs weight difference " + diff);
            for (int e = 0; e < 2; e++) {
                assertEquals(expected.get("loss").get(e), got.get("loss").get(e), 1e-6);
            }
            assertEquals(List.of(0.0, 1.0), got.get("epoch_seen"));
        }
    }

    /**
     * Keras's class_weight on Spark: each executor weighs its share's losses by class, so exact
     * training ends where one machine's does, and elsewhere than without the weights.
     */
    @ParameterizedTest
    @CsvSource({"tf", "dl4j"})
    void classWeightTrainsAsOnOneMachine(String backend) {
        ModelSpec binary = Sequential.name("binary")
                .input(6, 1)
                .add(Layers.simpleRnn(4))
                .add(Layers.dense(1, Activation.SIGMOID))
                .compile(Loss.BINARY_CROSSENTROPY, new OptimizerSpec.Adam())
                .build();
        Tensor[] xy = data(90);
        float[] values = xy[1].floatView();
        float[] labels = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = values[i] > 0.3f ? 1f : 0f;
        }
        Tensor y = Tensor.wrap(labels, labels.length, 1);
        FitOptions plain = new FitOptions(2, 16, 0, true, 42);
        FitOptions weighted = plain.withClassWeight(Map.of(0, 0.5, 1, 4.0));
        try (Backend engine = Rnn4j.backend(backend);
                Model single = Model.create(binary, engine, 42);
                Model unweighted = Model.create(binary, engine, 42);
                Model distributed = Model.create(binary, engine, 42)) {
            History expected = single.fit(TensorDataset.of(xy[0], y), null, weighted, List.of());
            unweighted.fit(TensorDataset.of(xy[0], y), null, plain, List.of());
            TrainingData data = TrainingData.parallelize(sc, xy[0], y, 2);
            History got = new SparkTrainer(sc, distributed, backend, DistributedOptions.exact())
                    .fit(data, null, weighted, List.of(), 0);
            data.release();
            double diff = maxAbsDiff(single.weights(), distributed.weights());
            assertTrue(diff <= 1e-5, "max abs weight difference " + diff);
            assertTrue(
                    maxAbsDiff(single.weights(), unweighted.weights()) > 1e-3,
                    "the class weights changed the training");
            for (int e = 0; e < 2; e++) {
                assertEquals(expected.get("loss").get(e), got.get("loss").get(e), 1e-6);
            }
        }
    }

    @Test
    void batchNormalizationIsRefusedInExactMode() {
        ModelSpec bn = Sequential.name("bn")
                .input(6, 1)
                .add(Layers.simpleRnn(5))
                .add(Layers.batchNormalization())
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                .build();
        try (Backend engine = Rnn4j.backend("tf");
                Model m = Model.create(bn, engine, 1)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> new SparkTrainer(sc, m, "tf", DistributedOptions.exact()));
            assertTrue(e.getMessage().contains("BatchNormalization"), e.getMessage());
        }
    }

    static double maxAbsDiff(Map<String, Tensor> a, Map<String, Tensor> b) {
        double worst = 0;
        for (var e : a.entrySet()) {
            float[] x = e.getValue().floatView();
            float[] y = b.get(e.getKey()).floatView();
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }
}
