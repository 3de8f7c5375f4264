package org.rnn4j.spark.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on this machine: a master and {@code workers} workers, each a
 * separate JVM started from the project's own Maven dependencies ({@code target/spark-home/jars},
 * copied there by the build; nothing is downloaded), each worker with one core. Every address and
 * port is on 127.0.0.1 ({@code SPARK_LOCAL_IP}, {@code --host}); web UIs bind there too. Workers
 * launch executors from the same {@code SPARK_HOME}. {@link #close()} stops executors, workers and
 * master; a shutdown hook does the same if the test JVM exits early.
 *
 * <p>Every cluster JVM keeps its scratch files under {@code workDir}: {@code java.io.tmpdir} is
 * {@code workDir/tmp} (native libraries Spark's codecs unpack) and {@code SPARK_LOCAL_DIRS} is
 * {@code workDir/local} (block managers, application folders). Executors and drivers that are
 * killed, as the fault tests do, cannot clean up after themselves; their leftovers then stay in
 * the build's own folder instead of the machine's {@code /tmp}, and {@link #close()} deletes both.
 */
public final class StandaloneCluster implements AutoCloseable {
    /** The JVM options Spark's launcher gives every JVM it starts (Spark 4's JavaModuleOptions). */
    public static final List<String> MODULE_OPTIONS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private static final String HOST = "127.0.0.1";

    private final Path sparkHome;
    private final Path workDir;
    private final Path tmpDir;
    private final Path localDir;
    private final List<Process> processes = new ArrayList<>();
    private final List<Process> workerProcesses = new ArrayList<>();
    private final List<Process> drivers = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "stop-spark-cluster");
    private final int masterPort;

    private StandaloneCluster(Path sparkHome, Path workDir, int masterPort) {
        this.sparkHome = sparkHome;
        this.workDir = workDir;
        // Absolute: executors run in folders of their own, where a relative tmpdir would point elsewhere.
        this.tmpDir = workDir.toAbsolutePath().resolve("tmp");
        this.localDir = workDir.toAbsolutePath().resolve("local");
        this.masterPort = masterPort;
    }

    /** Starts a master and {@code workers} one-core workers; returns once all workers have registered. */
    public static StandaloneCluster start(Path sparkHome, Path workDir, int workers, Duration timeout)
            throws IOException, InterruptedException {
        if (!Files.isDirectory(sparkHome.resolve("jars"))) {
            throw new IllegalStateException(
                    sparkHome + "/jars is missing; the build copies Spark's jars there" + " (mvn -pl spark package)");
        }
        Files.createDirectories(workDir);
        StandaloneCluster c = new StandaloneCluster(sparkHome, workDir, freePort());
        deleteScratch(c.tmpDir); // a run killed before its close() left these
        deleteScratch(c.localDir);
        Files.createDirectories(c.tmpDir);
        Files.createDirectories(c.localDir);
        Runtime.getRuntime().addShutdownHook(c.hook);
        boolean ok = false;
        try {
            Process master = c.launch(
                    "master",
                    "org.apache.spark.deploy.master.Master",
                    "--host",
                    HOST,
                    "--port",
                    Integer.toString(c.masterPort),
                    "--webui-port",
                    Integer.toString(freePort()));
            c.awaitPort(c.masterPort, master, timeout);
            for (int i = 0; i < workers; i++) {
                // An earlier run's executor folders hold a copy of its application jar each (300 MB).
                deleteScratch(workDir.resolve("worker-" + i + "-work"));
                Process w = c.launch(
                        "worker-" + i,
                        "org.apache.spark.deploy.worker.Worker",
                        "--host",
                        HOST,
                        "--port",
                        Integer.toString(freePort()),
                        "--webui-port",
                        Integer.toString(freePort()),
                        "--cores",
                        "1",
                        "--memory",
                        "3g",
                        "--work-dir",
                        workDir.resolve("worker-" + i + "-work").toString(),
                        c.masterUrl());
                c.workerProcesses.add(w);
            }
            c.awaitLog("master", "Registering worker", workers, timeout);
            ok = true;
            return c;
        } finally {
            if (!ok) {
                c.close();
            }
        }
    }

    public String masterUrl() {
        return "spark://" + HOST + ":" + masterPort;
    }

    public Path sparkHome() {
        return sparkHome;
    }

    public Path workDir() {
        return workDir;
    }

    /** Where executors' and submitted drivers' block managers go, in the workers' application folders ({@code SPARK_LOCAL_DIRS}). */
    public Path localDir() {
        return localDir;
    }

    /** Every cluster JVM's {@code java.io.tmpdir}. */
    public Path tmpDir() {
        return tmpDir;
    }

    /**
     * A session on this cluster with the driver in this JVM: bound to 127.0.0.1, no web UI, and
     * executors started with {@code executorOptions} (may be empty) plus their tmpdir under
     * {@code workDir} ({@link #submit} gives its drivers the same).
     */
    public org.apache.spark.sql.SparkSession.Builder session(String app, String executorOptions) {
        return org.apache.spark.sql.SparkSession.builder()
                .appName(app)
                .master(masterUrl())
                .config("spark.driver.host", HOST)
                .config("spark.driver.bindAddress", HOST)
                .config("spark.ui.enabled", "false")
                .config("spark.executor.extraJavaOptions", (executorOptions + " " + executorJavaOptions()).strip());
    }

    /** The executors' {@code spark.executor.extraJavaOptions}: their temporary files under {@code workDir/tmp}. */
    private String executorJavaOptions() {
        // Spark splits this value at spaces outside quotes; the quotes keep a checkout path with spaces whole.
        return "-Djava.io.tmpdir=\"" + tmpDir + "\"";
    }

    /**
     * The environment every cluster JVM gets: loopback only, this SPARK_HOME, quiet TensorFlow, local
     * folders under {@code workDir}.
     */
    public Map<String, String> environment() {
        return Map.of(
                "SPARK_LOCAL_DIRS",
                localDir.toString(),
                "SPARK_HOME",
                sparkHome.toString(),
                "SPARK_LOCAL_IP",
                HOST,
                "SPARK_SCALA_VERSION",
                "2.13",
                "SPARK_CONF_DIR",
                sparkHome.resolve("conf").toString(),
                "TF_CPP_MIN_LOG_LEVEL",
                "2");
    }

    /** A JVM command on Spark's classpath: {@code java <module options> -cp SPARK_HOME/jars/* main args}. */
    public List<String> javaCommand(String mainClass, List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(MODULE_OPTIONS);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("conf") + java.io.File.pathSeparator + sparkHome.resolve("jars") + "/*");
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Starts {@code spark-submit} (client mode: the driver is the new JVM) with {@code appJar} and
     * {@code args} for its main class, output to {@code log}. The driver binds 127.0.0.1, no UI.
     */
    public Process submit(Path appJar, String mainClass, List<String> args, Path log) throws IOException {
        List<String> submit = new ArrayList<>(List.of(
                "--master",
                masterUrl(),
                "--deploy-mode",
                "client",
                "--conf",
                "spark.driver.host=" + HOST,
                "--conf",
                "spark.driver.bindAddress=" + HOST,
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.executor.memory=1g",
                "--conf",
                "spark.executor.extraJavaOptions=" + executorJavaOptions(),
                "--driver-memory",
                "2g",
                "--class",
                mainClass,
                appJar.toString()));
        submit.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(
                javaCommand("org.apache.spark.deploy.SparkSubmit", List.of("-Xmx2g", tmpOption()), submit));
        pb.environment().putAll(environment());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        drivers.add(p);
        return p;
    }

    /** The executor JVMs the workers have started (children of the worker processes), alive now. */
    public List<ProcessHandle> executors() {
        List<ProcessHandle> out = new ArrayList<>();
        for (Process w : workerProcesses) {
            w.toHandle()
                    .descendants()
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .forEach(out::add);
        }
        return out;
    }

    /** The log file of one cluster JVM ({@code master}, {@code worker-0}, ...). */
    public Path log(String name) {
        return workDir.resolve(name + ".log");
    }

    private Process launch(String name, String mainClass, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(javaCommand(mainClass, List.of("-Xmx512m", tmpOption()), List.of(args)));
        pb.environment().putAll(environment());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log(name).toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private String tmpOption() {
        return "-Djava.io.tmpdir=" + tmpDir;
    }

    private void awaitPort(int port, Process owner, Duration timeout) throws InterruptedException, IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!owner.isAlive()) {
                throw new IllegalStateException("the Spark master exited: " + tail(log("master")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(hostAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException(
                "the Spark master did not listen within " + timeout + ": " + tail(log("master")));
    }

    private void awaitLog(String name, String text, int count, Duration timeout)
            throws InterruptedException, IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            String log = Files.readString(log(name), StandardCharsets.UTF_8);
            if (log.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= count) {
                return;
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster JVM exited early; master log: " + tail(log(name)));
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("expected " + count + " x '" + text + "' in the " + name + " log within "
                + timeout + ": " + tail(log(name)));
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** {@link #HOST} as an address, built from its bytes: no name lookup, and never IPv6's {@code ::1}. */
    private static InetAddress hostAddress() throws UnknownHostException {
        return InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, hostAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops executors, then workers, then the master, waiting for each. */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing left to remove
        }
    }

    private synchronized void stopAll() {
        for (Process d : drivers) {
            d.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            d.destroyForcibly();
        }
        drivers.clear();
        for (Process w : workerProcesses) {
            w.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        processes.clear();
        workerProcesses.clear();
        deleteScratch(tmpDir);
        deleteScratch(localDir);
    }

    /** Deletes a file or folder tree, if it exists. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Best effort: what cannot go now stays in the build folder, where {@code mvn clean} takes it. */
    private static void deleteScratch(Path root) {
        try {
            deleteTree(root);
        } catch (IOException | UncheckedIOException e) {
            // leave it: see above
        }
    }

    /** Reads a whole file, for assertions on logs. */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<Process> master() {
        return processes.isEmpty() ? Optional.empty() : Optional.of(processes.get(0));
    }
}
