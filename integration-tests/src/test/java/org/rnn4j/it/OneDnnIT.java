package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rnn4j.backend.tf.OneDnnStateMain;

/**
 * The TF backend turns on TensorFlow's oneDNN kernels in a library user's process unless the user
 * chose: each case is a fresh JVM (TensorFlow reads {@code TF_ENABLE_ONEDNN_OPTS} once, as its
 * library loads) with TensorFlow's log on ({@code -Drnn4j.quietStart=false}). The child prints what
 * the backend did ({@code TfOneDnn.state()}), and TensorFlow's own start-up line says whether oneDNN
 * is on, which holds on any CPU: TensorFlow's own default (on with AVX-512 VNNI, BF16 or AMX) is
 * taken from a JVM that loads TensorFlow without rnn4j.
 */
class OneDnnIT {
    private static final String ON_LINE = "oneDNN custom operations are on";

    private record Child(String state, String stderr) {}

    @Test
    void theBackendTurnsOneDnnOnWhenTheUserDidNotChoose() throws Exception {
        Child c = run(OneDnnStateMain.class, List.of(), Map.of());
        assertEquals("on", c.state(), c.stderr());
        assertTrue(c.stderr().contains(ON_LINE), c.stderr());
    }

    @Test
    void theUsersEnvironmentWins() throws Exception {
        Child c = run(OneDnnStateMain.class, List.of(), Map.of("TF_ENABLE_ONEDNN_OPTS", "0"));
        assertEquals("environment:0", c.state(), c.stderr());
        assertFalse(c.stderr().contains(ON_LINE), c.stderr());
    }

    @Test
    void thePropertyLeavesTensorFlowsOwnDefault() throws Exception {
        boolean tensorFlowDefault =
                run(RawTensorFlowMain.class, List.of(), Map.of()).stderr().contains(ON_LINE);
        Child c = run(OneDnnStateMain.class, List.of("-Drnn4j.tf.onednn=false"), Map.of());
        assertEquals("tensorflow-default", c.state(), c.stderr());
        assertEquals(tensorFlowDefault, c.stderr().contains(ON_LINE), c.stderr());
    }

    @Test
    void aBadPropertyValueIsRefusedWithTheWayOut() throws Exception {
        Process p = start(List.of("-Drnn4j.tf.onednn=maybe"), OneDnnStateMain.class, Map.of());
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(1, p.exitValue(), err);
        assertTrue(
                err.contains("system property rnn4j.tf.onednn must be true or false, got 'maybe'; "
                        + "remove it to use oneDNN's kernels"),
                err);
    }

    /** Runs {@code main} in a fresh JVM; its stdout has "ok" and, from {@link OneDnnStateMain}, "onednn=<state>". */
    private static Child run(Class<?> main, List<String> jvmOptions, Map<String, String> env) throws Exception {
        Process p = start(jvmOptions, main, env);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, p.exitValue(), err);
        List<String> lines = out.strip().lines().toList();
        assertEquals("ok", lines.get(0), out);
        String state = lines.stream()
                .filter(l -> l.startsWith("onednn="))
                .map(l -> l.substring("onednn=".length()))
                .findFirst()
                .orElse(null);
        return new Child(state, err);
    }

    private static Process start(List<String> jvmOptions, Class<?> main, Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", Fixtures.testClasspath()));
        command.addAll(jvmOptions);
        command.add("-Drnn4j.quietStart=false");
        command.add(main.getName());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("TF_CPP_MIN_LOG_LEVEL"); // the build sets it for its own test JVMs
        pb.environment().remove("TF_ENABLE_ONEDNN_OPTS"); // and this one
        pb.environment().putAll(env);
        return pb.start();
    }
}
