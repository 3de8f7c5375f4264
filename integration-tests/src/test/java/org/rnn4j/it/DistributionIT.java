package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as a user gets it: unpacked with {@code unzip} into an empty folder, run
 * through a symbolic link on a PATH that holds only that link, java and the system's tools (no
 * Maven, no source checkout), from a working folder of its own.
 */
class DistributionIT {
    private static final Path ROOT =
            Path.of(System.getProperty("rnn4j.root", "..")).toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("rnn4j.version");
    private static final String ARCHIVE = "rnn4j-" + VERSION + System.getProperty("rnn4j.dist.suffix", "");

    @TempDir
    static Path tmp;

    static Path home;
    static Path onPath;
    static Set<Path> unpacked;

    @BeforeAll
    static void unpack() throws Exception {
        Path zip = ROOT.resolve("distribution/target").resolve(ARCHIVE + ".zip");
        assertTrue(Files.isRegularFile(zip), zip + " is missing: build with ./mvnw package");
        Path install = Files.createDirectories(tmp.resolve("opt"));
        run(install, List.of("unzip", "-q", zip.toString()), Map.of()).ok();
        home = install.resolve("rnn4j-" + VERSION);
        onPath = Files.createDirectories(tmp.resolve("bin-on-path"));
        Files.createSymbolicLink(onPath.resolve("rnn4j"), home.resolve("bin/rnn4j"));
        unpacked = files(install);
    }

    @Test
    void trainsThroughASymlinkOnThePathFromAnotherFolder() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Run r = user(work, "rnn4j train --zoo stock-simple-rnn --epochs 1").ok();
        assertTrue(r.out.contains("Training stock-simple-rnn"), r.out);
        assertTrue(r.out.contains("Epoch 1/1"), r.out);
        assertTrue(r.out.contains("Outputs in runs/stock-simple-rnn"), r.out);
        for (String f : List.of("model.json", "weights.bin", "rnn4j.json", "history.csv", "loss.png", "forecast.png")) {
            assertTrue(Files.isRegularFile(work.resolve("runs/stock-simple-rnn").resolve(f)), f);
        }
        assertEquals(unpacked, files(tmp.resolve("opt")), "a run writes nothing into the installation");
    }

    @Test
    void theSecondEngineRunsFromTheArchiveToo() throws Exception {
        Run r = user(
                        Files.createDirectories(tmp.resolve("dl4j")),
                        "rnn4j forecast --zoo stock-simple-rnn --steps 2 --backend dl4j")
                .ok();
        assertTrue(r.out.contains("t+2"), r.out);
    }

    @Test
    void versionStartsNoEngine() throws Exception {
        Run r = user(Files.createDirectories(tmp.resolve("v")), "rnn4j --version")
                .ok();
        assertTrue(r.out.startsWith("rnn4j " + VERSION + "\n"), r.out);
        assertEquals("", r.err, "nothing on stderr: no engine started");
    }

    @Test
    void theSparkCommandsSayWhereTheyLive() throws Exception {
        Run r = user(Files.createDirectories(tmp.resolve("spark")), "rnn4j spark train --zoo stock-simple-rnn");
        assertEquals(2, r.code, r.err);
        assertEquals("", r.out);
        assertEquals(1, r.err.lines().count(), "one line: " + r.err);
        assertTrue(r.err.contains("spark-submit --class org.rnn4j.spark.cli.SparkMain"), r.err);
        assertFalse(
                lib().stream().anyMatch(n -> n.startsWith("spark-") || n.startsWith("rnn4j-spark")),
                "no Spark in lib/");
    }

    @Test
    void javaDashJarRunsTheCliJarThroughItsManifest() throws Exception {
        Path cli = home.resolve("lib/rnn4j-cli-" + VERSION + ".jar");
        Run r = run(
                        Files.createDirectories(tmp.resolve("jar")),
                        List.of(java(), "-jar", cli.toString(), "zoo", "list"),
                        Map.of())
                .ok();
        assertTrue(r.out.contains("stock-simple-rnn") && r.out.contains("char-embedding-lstm"), r.out);
    }

    @Test
    void libHoldsExactlyTheCliAndItsManifestClassPath() throws Exception {
        Set<String> expected = new TreeSet<>(classPath(home.resolve("lib/rnn4j-cli-" + VERSION + ".jar")));
        expected.add("rnn4j-cli-" + VERSION + ".jar");
        Set<String> lib = lib();
        assertEquals(expected, lib);
        assertFalse(lib.stream().anyMatch(n -> n.startsWith("junit")), "no test libraries in lib/: " + lib);
    }

    @Test
    void everyRnn4jJarNamesItsOwnModule() throws Exception {
        Set<String> names = new HashSet<>();
        try (Stream<Path> s = Files.list(home.resolve("lib"))) {
            for (Path jar : s.filter(p -> p.getFileName().toString().startsWith("rnn4j-"))
                    .toList()) {
                String name = manifest(jar).getValue("Automatic-Module-Name");
                assertTrue(name != null && name.matches("org\\.rnn4j\\.[a-z0-9.]+"), jar + ": " + name);
                assertTrue(names.add(name), "two jars claim module " + name);
                assertEquals(VERSION, manifest(jar).getValue("Implementation-Version"), jar.toString());
            }
        }
        assertTrue(names.containsAll(Set.of("org.rnn4j.api", "org.rnn4j.data", "org.rnn4j.cli")), names.toString());
    }

    @Test
    void theArchivesHoldTheLaunchersAndTheLicense() throws Exception {
        assertTrue(
                Files.getPosixFilePermissions(home.resolve("bin/rnn4j")).contains(PosixFilePermission.OWNER_EXECUTE));
        String cmd = Files.readString(home.resolve("bin/rnn4j.cmd"), StandardCharsets.US_ASCII);
        assertTrue(cmd.contains("\r\n") && cmd.contains("-jar"), "rnn4j.cmd has DOS line ends");
        assertTrue(Files.readString(home.resolve("LICENSE")).contains("Apache License"));
        assertTrue(Files.isRegularFile(home.resolve("NOTICE")));
        Path tgz = ROOT.resolve("distribution/target").resolve(ARCHIVE + ".tar.gz");
        Run listing = run(tmp, List.of("tar", "tzvf", tgz.toString()), Map.of()).ok();
        Set<String> inTar = new TreeSet<>();
        for (String line : listing.out.lines().toList()) {
            String name = line.substring(line.lastIndexOf(' ') + 1);
            if (!name.endsWith("/")) {
                inTar.add(name);
            }
            if (name.endsWith("/bin/rnn4j")) {
                assertTrue(line.startsWith("-rwxr-xr-x"), line);
            }
        }
        Set<String> inZip = new TreeSet<>();
        for (Path p : unpacked) {
            inZip.add(tmp.resolve("opt").relativize(p).toString());
        }
        assertEquals(inZip, inTar, "the zip and the tar.gz hold the same files");
    }

    /** A shell command as a user types it: PATH is the symlink's folder, java's and the system's. */
    static Run user(Path dir, String command) throws Exception {
        String path = onPath + ":" + Path.of(java()).getParent() + ":/usr/bin:/bin";
        return run(dir, List.of("/bin/sh", "-c", command), Map.of("PATH", path));
    }

    record Run(int code, String out, String err) {
        Run ok() {
            assertEquals(0, code, () -> "exit " + code + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }
    }

    /** Runs in a clean environment: HOME, temp and locale, the OpenBLAS settings of this machine, and {@code env}. */
    static Run run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        Map<String, String> parent = Map.copyOf(e);
        e.clear();
        for (String keep : List.of("HOME", "TMPDIR", "LANG", "LC_ALL")) {
            if (parent.containsKey(keep)) {
                e.put(keep, parent.get(keep));
            }
        }
        parent.forEach((k, v) -> {
            if (k.startsWith("OPENBLAS_")) {
                e.put(k, v);
            }
        });
        e.put("PATH", "/usr/bin:/bin");
        e.putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 5 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Set<String> lib() throws IOException {
        Set<String> lib = new TreeSet<>();
        try (Stream<Path> s = Files.list(home.resolve("lib"))) {
            s.forEach(p -> lib.add(p.getFileName().toString()));
        }
        return lib;
    }

    static Attributes manifest(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getManifest().getMainAttributes();
        }
    }

    static List<String> classPath(Path jar) throws IOException {
        return List.of(manifest(jar).getValue(Attributes.Name.CLASS_PATH).trim().split("\\s+"));
    }

    static Set<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return new TreeSet<>(s.filter(Files::isRegularFile).toList());
        }
    }
}
