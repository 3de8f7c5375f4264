package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.io.TensorJson;
import org.rnn4j.api.tensor.Tensor;

/** The scoring transformer on local[2] against {@code ./rnn4j predict} on the same inputs, both engines. */
class RnnModelTransformerIT {
    static SparkSession spark;

    @TempDir
    static Path tmp;

    static Path stockModel;
    static Path charModel;

    @BeforeAll
    static void start() throws Exception {
        spark = LocalSpark.start("scoring");
        stockModel = Fixtures.shippedModel("stock-simple-rnn", tmp.resolve("stock"));
        charModel = Fixtures.shippedModel("char-embedding-lstm", tmp.resolve("char"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void windowsScoreAsRnn4jPredictDoes(String backend) throws Exception {
        int n = 37;
        int window = 50;
        SplittableRandom rng = new SplittableRandom(7);
        float[] x = new float[n * window];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        float[] expected = predictWithCli(backend, stockModel, Tensor.wrap(x, n, window, 1));
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            List<Double> w = new ArrayList<>();
            for (int i = 0; i < window; i++) {
                w.add((double) x[r * window + i]);
            }
            rows.add(RowFactory.create(r, w));
        }
        StructType schema = new StructType()
                .add("id", DataTypes.IntegerType)
                .add("window", DataTypes.createArrayType(DataTypes.DoubleType));
        // Three partitions and batches of 8: batches end inside partitions and partitions end inside batches.
        Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(3);
        RnnModelTransformer scorer = new RnnModelTransformer()
                .setModelPath(stockModel.toString())
                .setInputCol("window")
                .setBackend(backend)
                .setBatchSize(8);
        assertClose(expected, 1, scorer.transform(df));

        // The same stage inside a Pipeline, saved and loaded with Spark ML persistence.
        Path saved = tmp.resolve("pipeline-" + backend);
        PipelineModel fitted =
                new Pipeline().setStages(new PipelineStage[] {scorer}).fit(df);
        fitted.write().save(saved.toString());
        PipelineModel loaded = PipelineModel.load(saved.toString());
        RnnModelTransformer stage = (RnnModelTransformer) loaded.stages()[0];
        assertEquals(backend, stage.getOrDefault(stage.backend()));
        assertClose(expected, 1, loaded.transform(df));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void tokenIdsScoreAsRnn4jPredictDoes(String backend) throws Exception {
        int n = 5;
        int time = 40;
        SplittableRandom rng = new SplittableRandom(11);
        int[] ids = new int[n * time];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(73);
        }
        float[] expected = predictWithCli(backend, charModel, Tensor.wrapInts(ids, n, time));
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            List<Integer> seq = new ArrayList<>();
            for (int i = 0; i < time; i++) {
                seq.add(ids[r * time + i]);
            }
            rows.add(RowFactory.create(r, seq));
        }
        StructType schema = new StructType()
                .add("id", DataTypes.IntegerType)
                .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType));
        Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(2);
        RnnModelTransformer scorer = new RnnModelTransformer()
                .setModelPath(charModel.toString())
                .setInputCol("tokens")
                .setOutputCol("next_char")
                .setBackend(backend)
                .setBatchSize(2);
        assertClose(expected, 73, scorer.transform(df).withColumnRenamed("next_char", "prediction"));
    }

    @Test
    void badInputIsOneClearError() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("window", DataTypes.StringType);
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(1, "1,2,3")), schema);
        RnnModelTransformer scorer = new RnnModelTransformer().setModelPath(stockModel.toString());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> scorer.transform(df));
        assertEquals(
                "input column 'input' is missing; the data has columns [id, window]; choose one with inputCol",
                missing.getMessage());
        IllegalArgumentException wrongType = assertThrows(
                IllegalArgumentException.class,
                () -> scorer.setInputCol("window").transform(df));
        assertTrue(
                wrongType.getMessage().startsWith("input column 'window' is string; it must hold one sample per row"),
                wrongType.getMessage());
    }

    @Test
    void aModelTheExecutorsCannotReadIsNamedInOneLine() {
        StructType schema = new StructType().add("window", DataTypes.createArrayType(DataTypes.DoubleType));
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(List.of(1.0, 2.0))), schema);
        String missing = tmp.resolve("no-such-model").toString();
        Dataset<Row> scored = new RnnModelTransformer()
                .setModelPath(missing)
                .setInputCol("window")
                .transform(df);
        Exception e = assertThrows(Exception.class, scored::collectAsList);
        IllegalArgumentException cause = SparkErrors.inputError(e).orElseThrow(() -> new AssertionError(e));
        assertTrue(
                cause.getMessage().startsWith("model " + missing + " is not readable on executor "),
                cause.getMessage());
        assertTrue(
                cause.getMessage().endsWith("put the model where every executor can read it (a shared folder, HDFS)"),
                cause.getMessage());
    }

    private static float[] predictWithCli(String backend, Path model, Tensor x) throws Exception {
        Path in = Files.createTempFile(tmp, "x", ".json");
        Path out = tmp.resolve(in.getFileName() + ".out.json");
        Files.writeString(in, TensorJson.write(x));
        Fixtures.Cli.run(
                        "predict",
                        "--model",
                        model.toString(),
                        "--input",
                        in.toString(),
                        "--output",
                        out.toString(),
                        "--backend",
                        backend)
                .ok();
        return TensorJson.read(out).floatView();
    }

    private static void assertClose(float[] expected, int per, Dataset<Row> scored) {
        List<Row> rows = scored.orderBy("id").select("id", "prediction").collectAsList();
        assertEquals(expected.length / per, rows.size());
        double worst = 0;
        for (Row r : rows) {
            List<Float> p = r.getList(1);
            assertEquals(per, p.size());
            for (int j = 0; j < per; j++) {
                worst = Math.max(worst, Math.abs(p.get(j) - expected[r.getInt(0) * per + j]));
            }
        }
        assertTrue(worst <= 1e-6, "max abs difference to rnn4j predict: " + worst);
    }
}
