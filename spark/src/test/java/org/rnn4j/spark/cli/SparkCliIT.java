package org.rnn4j.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.cli.Main;

/** {@code rnn4j spark ...} on local[2], against the plain {@code rnn4j} commands on the same inputs. */
class SparkCliIT {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        Run ok() {
            assertEquals(0, code, () -> "exit " + code + "\nstderr: " + err + "\nstdout: " + out);
            return this;
        }

        /** Exit 2 and exactly one error line containing {@code fragment}, no stack trace. */
        Run badInput(String fragment) {
            assertEquals(2, code, () -> "exit " + code + "\nstderr: " + err);
            List<String> lines =
                    err.strip().lines().filter(l -> l.contains("error:")).toList();
            assertEquals(1, lines.size(), () -> "one error line expected:\n" + err);
            assertTrue(lines.get(0).contains(fragment), () -> "'" + fragment + "' not in: " + lines.get(0));
            assertFalse(err.contains("\tat "), "no stack trace without --verbose");
            return this;
        }
    }

    static Run spark(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        int code = SparkMain.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    static Run rnn4j(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Must-show 2 on local[2]: three epochs of stock-simple-rnn on two partitions end where rnn4j
     * train ends. Batches of 128 keep it to 28 Spark jobs an epoch; the equality holds at any size.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void sparkTrainEqualsRnn4jTrain(String backend) throws IOException {
        Path single = tmp.resolve("single");
        Path distributed = tmp.resolve("distributed");
        rnn4j(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--epochs",
                        "3",
                        "--batch-size",
                        "128",
                        "--seed",
                        "7",
                        "--backend",
                        backend,
                        "--out",
                        single.toString(),
                        "--no-progress")
                .ok();
        Run run = spark(
                        "train",
                        "--master",
                        "local[2]",
                        "--partitions",
                        "2",
                        "--zoo",
                        "stock-simple-rnn",
                        "--epochs",
                        "3",
                        "--batch-size",
                        "128",
                        "--seed",
                        "7",
                        "--backend",
                        backend,
                        "--out",
                        distributed.toString(),
                        "--no-progress")
                .ok();
        assertTrue(run.out().contains("2 partitions, exact steps"), run.out());
        double diff = maxAbsDiff(weights(single), weights(distributed));
        System.out.println("spark train vs rnn4j train, " + backend + ": max abs weight difference " + diff + "\n"
                + run.out().lines().filter(l -> l.startsWith("Spark")).reduce("", (a, b) -> a + b + "\n"));
        assertTrue(diff <= 1e-5, "max abs weight difference " + diff + " (" + backend + ")");
        assertTrue(Files.exists(distributed.resolve("evaluation.json")), "the run folder is train's");
        assertTrue(Files.exists(distributed.resolve("forecast.png")));
    }

    @Test
    void sparkTrainBadInputIsOneLineAndWritesNothing() {
        Path out = tmp.resolve("never");
        spark(
                        "train",
                        "--master",
                        "local[2]",
                        "--zoo",
                        "stock-simple-rnn",
                        "--data",
                        tmp.resolve("none.csv").toString(),
                        "--out",
                        out.toString())
                .badInput("no such file");
        assertFalse(Files.exists(out));
        spark("train", "--master", "local[2]", "--combine", "ring", "--zoo", "stock-simple-rnn")
                .badInput("--combine must be tree or block-manager, got 'ring'");
    }

    /** spark predict on a CSV of windows equals rnn4j predict; bad input is one line, exit 2, and no output. */
    @Test
    void sparkPredictScoresACsvAsRnn4jPredictDoes() throws Exception {
        Path model = org.rnn4j.spark.Fixtures.shippedModel("stock-simple-rnn", tmp.resolve("model"));
        int n = 9;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        float[] x = new float[n * 50];
        StringBuilder csv = new StringBuilder("id,window\n");
        for (int r = 0; r < n; r++) {
            csv.append(r).append(',');
            for (int i = 0; i < 50; i++) {
                x[r * 50 + i] = (float) rng.nextGaussian();
                csv.append(i == 0 ? "" : " ").append(x[r * 50 + i]);
            }
            csv.append('\n');
        }
        Path in = tmp.resolve("windows.csv");
        Files.writeString(in, csv);
        Path xJson = tmp.resolve("x.json");
        Files.writeString(xJson, org.rnn4j.api.io.TensorJson.write(Tensor.wrap(x, n, 50, 1)));
        Path yJson = tmp.resolve("y.json");
        rnn4j("predict", "--model", model.toString(), "--input", xJson.toString(), "--output", yJson.toString())
                .ok();
        float[] expected = org.rnn4j.api.io.TensorJson.read(yJson).floatView();

        Path out = tmp.resolve("scored.csv");
        spark(
                        "predict",
                        "--master",
                        "local[2]",
                        "--model",
                        model.toString(),
                        "--input",
                        in.toString(),
                        "--input-col",
                        "window",
                        "--output",
                        out.toString())
                .ok();
        Map<Integer, Float> got = new java.util.HashMap<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .toList()) {
                for (String line : Files.readAllLines(part)) {
                    if (!line.startsWith("id,")) {
                        String[] cells = line.split(",", -1);
                        got.put(Integer.parseInt(cells[0]), Float.parseFloat(cells[2]));
                    }
                }
            }
        }
        assertEquals(n, got.size());
        for (int r = 0; r < n; r++) {
            assertEquals(expected[r], got.get(r), 1e-6);
        }

        Path never = tmp.resolve("never.parquet");
        spark(
                        "predict",
                        "--master",
                        "local[2]",
                        "--model",
                        model.toString(),
                        "--input",
                        in.toString(),
                        "--input-col",
                        "windows",
                        "--output",
                        never.toString())
                .badInput("input column 'windows' is missing; the data has columns [id, window]");
        spark(
                        "predict",
                        "--master",
                        "local[2]",
                        "--model",
                        model.toString(),
                        "--input",
                        in.toString(),
                        "--input-col",
                        "id",
                        "--format",
                        "parquet",
                        "--output",
                        never.toString())
                .badInput("--input");
        Path ids = tmp.resolve("ids.json");
        Files.writeString(ids, "{\"id\": 1, \"window\": \"a b\"}\n");
        spark(
                        "predict",
                        "--master",
                        "local[2]",
                        "--model",
                        model.toString(),
                        "--input",
                        ids.toString(),
                        "--input-col",
                        "window",
                        "--output",
                        never.toString())
                .badInput("input column 'window' is string; it must hold one sample per row");
        spark(
                        "predict",
                        "--master",
                        "local[2]",
                        "--model",
                        tmp.resolve("gone").toString(),
                        "--input",
                        in.toString(),
                        "--input-col",
                        "window",
                        "--output",
                        never.toString())
                .badInput("is not readable on executor");
        assertFalse(Files.exists(never), "no output after bad input");
        try (Stream<Path> left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(".rnn4j-")), "no temporary output left");
        }
    }

    static Map<String, Tensor> weights(Path dir) throws IOException {
        return ModelFiles.load(dir).weights();
    }

    static double maxAbsDiff(Map<String, Tensor> a, Map<String, Tensor> b) {
        assertEquals(a.keySet(), b.keySet());
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

    static long files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
