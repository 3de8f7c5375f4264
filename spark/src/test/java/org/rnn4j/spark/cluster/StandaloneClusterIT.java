package org.rnn4j.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.cli.Main;

/**
 * One real standalone cluster (master + two one-core workers, separate JVMs, 127.0.0.1) shared by
 * these checks; the application is the shaded jar, submitted with Spark's own SparkSubmit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    static final String MAIN = "org.rnn4j.spark.cli.SparkMain";
    static StandaloneCluster cluster;
    static Path work;
    static Path appJar;

    @BeforeAll
    static void start() throws Exception {
        work = Path.of("target", "cluster-it").toAbsolutePath();
        appJar = Path.of(System.getProperty("rnn4j.spark.appJar"));
        assertTrue(Files.isRegularFile(appJar), "the application jar is built before the ITs: " + appJar);
        cluster = StandaloneCluster.start(
                Path.of(System.getProperty("rnn4j.spark.home")), work, 2, Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theSimplestJobRunsOnBothWorkers() throws java.io.IOException {
        SparkSession spark = cluster.session("simplest", "")
                .config("spark.executor.memory", "1g")
                .getOrCreate();
        try {
            // Built-in functions only: this test's own classes are not on the executors.
            long sum = spark.range(1, 101, 1, 4).groupBy().sum("id").first().getLong(0);
            assertEquals(5050, sum);
            assertEquals(3, spark.sparkContext().statusTracker().getExecutorInfos().length, "driver + 2 executors");
            assertEquals(2, cluster.executors().size(), "two executor JVMs under the workers");
            // The executors' scratch goes to the build folder, not the machine's /tmp, so killed
            // executors leave nothing behind there.
            for (ProcessHandle e : cluster.executors()) {
                String cmd = e.info().commandLine().orElse("");
                assertTrue(
                        cmd.contains("-Djava.io.tmpdir=" + cluster.tmpDir()),
                        () -> "executor without the tmpdir: " + cmd);
            }
            // SPARK_LOCAL_DIRS/spark-*/executor-*/blockmgr-*: no deeper, where live shuffle files come and go.
            try (java.util.stream.Stream<Path> local = Files.walk(cluster.localDir(), 3)) {
                assertEquals(
                        2,
                        local.filter(p -> p.getFileName().toString().startsWith("blockmgr-"))
                                .count(),
                        "each executor's block manager under SPARK_LOCAL_DIRS");
            }
        } finally {
            spark.stop();
        }
    }

    /**
     * Must-shows 2 and 3 on the cluster: an undisturbed spark-submit run ends within 1e-5 of
     * {@code rnn4j train}; a second run whose executor JVM is killed in epoch 2 and whose driver is
     * killed after epoch 2, then resumed with {@code --resume}, ends with exactly the same weights.
     */
    @Test
    @Order(2)
    void trainingSurvivesAKilledExecutorAndADriverCrashWithTheSameWeights() throws Exception {
        // Batches of 128: 28 steps an epoch instead of 111. Each exact step is a Spark job (about
        // 0.2 s here), and the test is about the steps being exact, not about how many there are.
        List<String> train = List.of(
                "--zoo",
                "stock-simple-rnn",
                "--epochs",
                "3",
                "--batch-size",
                "128",
                "--seed",
                "7",
                "--backend",
                "tf",
                "--partitions",
                "2",
                "--no-progress");
        Path single = work.resolve("single");
        Path undisturbed = work.resolve("undisturbed");
        Path disturbed = work.resolve("disturbed");
        for (Path p : List.of(single, undisturbed, disturbed)) {
            StandaloneCluster.deleteTree(p);
        }
        runRnn4j(
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
                "tf",
                "--out",
                single.toString(),
                "--no-progress");

        Process a = cluster.submit(appJar, MAIN, args("train", train, "--out", undisturbed), work.resolve("a.log"));
        await(a, work.resolve("a.log"), Duration.ofMinutes(4));
        double exact = maxAbsDiff(
                ModelFiles.load(single).weights(), ModelFiles.load(undisturbed).weights());
        System.out.println("cluster run vs rnn4j train: max abs weight difference " + exact);
        assertTrue(exact <= 1e-5, "cluster run vs rnn4j train: " + exact);

        // The executor running partition 0's share of epoch 2, batch 16 pauses there and is killed mid-task.
        Path bLog = work.resolve("b.log");
        Path marker = work.resolve("paused-executor.pid");
        Files.deleteIfExists(marker);
        List<String> faulty = new ArrayList<>(List.of(
                "--conf", "spark.rnn4j.test.pauseAt=1:15",
                "--conf", "spark.rnn4j.test.pauseMillis=60000",
                "--conf", "spark.rnn4j.test.pauseMarker=" + marker));
        faulty.addAll(train);
        Process b = cluster.submit(appJar, MAIN, args("train", faulty, "--out", disturbed), bLog);
        long pid = Long.parseLong(waitForFile(marker, b, bLog, Duration.ofMinutes(3)));
        ProcessHandle paused = ProcessHandle.of(pid).orElseThrow();
        assertTrue(cluster.executors().contains(paused), "the paused JVM is one of the executors");
        paused.destroyForcibly();
        // "Epoch 3/3" is printed as epoch 3 begins: epoch 2, with its killed executor, is done and
        // checkpointed, so the resumed run below starts from weights that went through the retry.
        waitFor(bLog, "Epoch 3/3", b, Duration.ofMinutes(3));
        b.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        b.destroyForcibly();
        assertTrue(b.waitFor(30, TimeUnit.SECONDS));
        assertTrue(
                !StandaloneCluster.read(bLog).contains("Outputs in "),
                "the driver was killed before it finished:\n" + StandaloneCluster.read(bLog));
        assertTrue(
                StandaloneCluster.read(work.resolve("worker-0.log")).contains("Executor app-")
                        || StandaloneCluster.read(work.resolve("worker-1.log")).contains("Executor app-"),
                "a worker saw its executor die");

        Process c = cluster.submit(
                appJar,
                MAIN,
                args("train", List.of("--resume", "--no-progress"), "--out", disturbed),
                work.resolve("c.log"));
        await(c, work.resolve("c.log"), Duration.ofMinutes(4));
        assertTrue(StandaloneCluster.read(work.resolve("c.log")).contains("Resuming after epoch 2 of 3"));
        double same = maxAbsDiff(
                ModelFiles.load(undisturbed).weights(),
                ModelFiles.load(disturbed).weights());
        System.out.println("killed executor + driver crash + resume vs undisturbed: max abs weight difference " + same);
        assertEquals(0.0, same, "a killed executor and a resumed driver change nothing");
    }

    /**
     * Must-show 1 on the cluster, on the engine whose natives are the app jar's trap (ND4J on
     * JavaCPP 1.5.11 with its linux-x86_64 classifier): spark predict --backend dl4j through
     * spark-submit equals rnn4j predict --backend dl4j.
     */
    @Test
    @Order(3)
    void theAppJarScoresOnDl4jExecutorsAsRnn4jPredictDoes() throws Exception {
        Path model =
                org.rnn4j.spark.Fixtures.shippedModel("stock-simple-rnn", work.resolve("model-" + System.nanoTime()));
        int n = 7;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
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
        Path in = work.resolve("windows.csv");
        Files.writeString(in, csv);
        Path xJson = work.resolve("x.json");
        Files.writeString(xJson, org.rnn4j.api.io.TensorJson.write(Tensor.wrap(x, n, 50, 1)));
        Path yJson = work.resolve("y.json");
        Files.deleteIfExists(yJson);
        runRnn4j(
                "predict",
                "--model",
                model.toString(),
                "--input",
                xJson.toString(),
                "--output",
                yJson.toString(),
                "--backend",
                "dl4j");
        float[] expected = org.rnn4j.api.io.TensorJson.read(yJson).floatView();
        Path out = work.resolve("scored.csv");
        StandaloneCluster.deleteTree(out);
        Process p = cluster.submit(
                appJar,
                MAIN,
                List.of(
                        "predict",
                        "--model",
                        model.toString(),
                        "--input",
                        in.toString(),
                        "--input-col",
                        "window",
                        "--output",
                        out.toString(),
                        "--backend",
                        "dl4j"),
                work.resolve("d.log"));
        await(p, work.resolve("d.log"), Duration.ofMinutes(3));
        int seen = 0;
        try (var parts = Files.list(out)) {
            for (Path part : parts.filter(f -> f.getFileName().toString().startsWith("part-"))
                    .toList()) {
                for (String line : Files.readAllLines(part)) {
                    if (!line.startsWith("id,")) {
                        String[] cells = line.split(",", -1);
                        assertEquals(expected[Integer.parseInt(cells[0])], Float.parseFloat(cells[2]), 1e-6);
                        seen++;
                    }
                }
            }
        }
        assertEquals(n, seen);
    }

    static List<String> args(String command, List<String> options, String outFlag, Path out) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(options);
        all.add(outFlag);
        all.add(out.toString());
        return all;
    }

    static void await(Process p, Path log, Duration timeout) throws Exception {
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the driver did not finish in " + timeout + ":\n" + StandaloneCluster.tail(log));
        }
        assertEquals(0, p.exitValue(), () -> "driver failed:\n" + StandaloneCluster.read(log));
    }

    static void waitFor(Path log, String text, Process p, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log) && StandaloneCluster.read(log).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the driver ended before '" + text + "':\n" + StandaloneCluster.read(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + StandaloneCluster.tail(log));
    }

    static String waitForFile(Path file, Process p, Path log, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(file) && Files.size(file) > 0) {
                return Files.readString(file).strip();
            }
            if (!p.isAlive()) {
                throw new AssertionError("the driver ended before " + file + ":\n" + StandaloneCluster.read(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + file + " within " + timeout + ":\n" + StandaloneCluster.tail(log));
    }

    static void runRnn4j(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertEquals(0, code, () -> "rnn4j " + String.join(" ", args) + ": " + err);
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
}
