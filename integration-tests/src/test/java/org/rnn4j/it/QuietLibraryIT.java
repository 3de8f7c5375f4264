package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A library user's process (no TF_CPP_MIN_LOG_LEVEL in the environment, no SLF4J provider on the
 * classpath) gets no engine start-up lines on stderr; only TensorFlow's two absl lines remain, which
 * nothing outside the native library can silence. The same run with {@code -Drnn4j.quietStart=false}
 * shows the lines this removes, so the check can see them.
 */
class QuietLibraryIT {
    /** TensorFlow's absl lines: they ignore TF_CPP_MIN_LOG_LEVEL (documented in TfQuietStart). */
    private static final String ABSL =
            "WARNING: All log messages before absl::InitializeLog\\(\\) is called are written to STDERR"
                    + "|I0000 .*mlir_graph_optimization_pass.cc:\\d+\\] MLIR V1 optimization pass is not enabled";

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j", "tf,dl4j", "dl4j,tf"})
    void engineStartUpIsQuietInLibraryUse(String order) throws Exception {
        List<String> stderr = run(order, true);
        List<String> unexpected = stderr.stream().filter(l -> !l.matches(ABSL)).toList();
        assertEquals(List.of(), unexpected, "stderr of a library user's process");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void withoutItTheEnginesTalk(String id) throws Exception {
        String all = String.join("\n", run(id, false));
        if (id.equals("tf")) {
            assertTrue(all.contains("tensorflow/core"), all);
        } else {
            assertTrue(all.contains("Versions of org.bytedeco:javacpp") && all.contains("SLF4J"), all);
        }
    }

    private static List<String> run(String order, boolean quiet) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // no SLF4J provider, as in an application that has none
        String classpath = Arrays.stream(Fixtures.testClasspath().split(File.pathSeparator))
                .filter(e -> !Path.of(e).getFileName().toString().startsWith("slf4j-simple"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", classpath));
        if (!quiet) {
            command.add("-Drnn4j.quietStart=false");
        }
        command.addAll(List.of(QuietStartMain.class.getName(), order));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("TF_CPP_MIN_LOG_LEVEL"); // the build sets it for its own test JVMs
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, p.exitValue(), err);
        assertEquals("ok", out.strip(), out);
        return err.lines().toList();
    }
}
