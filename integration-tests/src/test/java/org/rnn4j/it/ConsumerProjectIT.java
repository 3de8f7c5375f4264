package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/consumer}, an application depending on the BOM, rnn4j-api, rnn4j-data and
 * rnn4j-backend-tf only, built with the Maven wrapper offline. rnn4j's artifacts come from a fresh
 * local repository holding what this build just made (the poms and jars, laid out as
 * {@code install} lays them out); everything else is read through from the user's repository
 * ({@code maven.repo.local.tail}), which may hold other rnn4j builds and must not be used for them:
 * the consumer's test checks where its rnn4j classes came from.
 */
class ConsumerProjectIT {
    private static final Path ROOT =
            Path.of(System.getProperty("rnn4j.root", "..")).toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("rnn4j.version");

    @TempDir
    Path tmp;

    @Test
    void anApplicationOnTheBomTrainsSavesAndLoads() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repository"));
        install(repo, "rnn4j-parent", ROOT.resolve("pom.xml"), null);
        install(repo, "rnn4j-bom", ROOT.resolve("bom/pom.xml"), null);
        for (String module : List.of("api", "data", "backend-tf")) {
            String artifact = "rnn4j-" + module;
            install(
                    repo,
                    artifact,
                    ROOT.resolve(module).resolve("pom.xml"),
                    ROOT.resolve(module).resolve("target").resolve(artifact + "-" + VERSION + ".jar"));
        }
        Path project = tmp.resolve("consumer");
        copyTree(ROOT.resolve("examples/consumer"), project);

        List<String> command = new ArrayList<>(List.of(
                ROOT.resolve("mvnw").toString(),
                "-B",
                "-o",
                "-q",
                "-Dmaven.repo.local=" + repo,
                "-Dmaven.repo.local.tail=" + System.getProperty("rnn4j.localRepository"),
                "-Drnn4j.version=" + VERSION,
                "-Drnn4j.repo=" + repo,
                "verify"));
        ProcessBuilder pb =
                new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        pb.environment().remove("MAVEN_OPTS");
        pb.environment().remove("MAVEN_ARGS");
        Path log = tmp.resolve("build.log");
        Process p = pb.redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the consumer's build did not finish in 10 minutes");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);

        String report =
                Files.readString(project.resolve("target/surefire-reports/TEST-com.example.TrainSaveLoadTest.xml"));
        assertTrue(
                report.contains("tests=\"2\"")
                        && report.contains("failures=\"0\"")
                        && report.contains("errors=\"0\"")
                        && report.contains("skipped=\"0\""),
                "both consumer tests ran and passed:\n" + report);
    }

    /** Lays out a pom (and jar) as {@code mvn install} would in {@code repo}. */
    private static void install(Path repo, String artifact, Path pom, Path jar) throws IOException {
        Path dir = Files.createDirectories(
                repo.resolve("org/rnn4j").resolve(artifact).resolve(VERSION));
        Files.copy(pom, dir.resolve(artifact + "-" + VERSION + ".pom"));
        if (jar != null) {
            assertTrue(Files.isRegularFile(jar), jar + " is missing: build the reactor with ./mvnw verify");
            Files.copy(jar, dir.resolve(artifact + "-" + VERSION + ".jar"));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (p.toString().contains("/target/")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
