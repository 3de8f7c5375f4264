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

/**
 * The TF backend turns on TensorFlow's oneDNN kernels in a library user's process unless the user
 * chose: each case is a fresh JVM (TensorFlow reads {@code TF_ENABLE_ONEDNN_OPTS} once, as its
 * library loads) with TensorFlow's log on ({@code -Drnn4j.quietStart=false}), and TensorFlow's own
 * start-up line says whether oneDNN is on.
 */
class OneDnnIT {
    private static final String ON_LINE = "oneDNN custom operations are on";

    @Test
    void theBackendTurnsOneDnnOnWhenTheUserDidNotChoose() throws Exception {
        String err = run(QuietStartMain.class, List.of(), Map.of());
        assertTrue(err.contains(ON_LINE), err);
    }

    @Test
    void theUsersEnvironmentWins() throws Exception {
        String err = run(QuietStartMain.class, List.of(), Map.of("TF_ENABLE_ONEDNN_OPTS", "0"));
        assertFalse(err.contains(ON_LINE), err);
    }

    @Test
    void thePropertyLeavesTensorFlowsOwnDefault() throws Exception {
        // TensorFlow's default depends on the CPU (on with AVX-512 VNNI, BF16 or AMX), so the check
        // is against TensorFlow loaded without rnn4j on this machine.
        boolean tensorFlowDefault =
                run(RawTensorFlowMain.class, List.of(), Map.of()).contains(ON_LINE);
        String err = run(QuietStartMain.class, List.of("-Drnn4j.tf.onednn=false"), Map.of());
        assertEquals(tensorFlowDefault, err.contains(ON_LINE), err);
    }

    @Test
    void aBadPropertyValueIsRefusedWithTheWayOut() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = start(java, List.of("-Drnn4j.tf.onednn=maybe"), QuietStartMain.class, Map.of());
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.contains("rnn4j.tf.onednn must be true or false, got 'maybe'"), err);
    }

    /** Runs {@code main} in a fresh JVM ("tf" as its argument) and returns its stderr. */
    private static String run(Class<?> main, List<String> jvmOptions, Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = start(java, jvmOptions, main, env);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, p.exitValue(), err);
        assertEquals("ok", out.strip(), out);
        return err;
    }

    private static Process start(String java, List<String> jvmOptions, Class<?> main, Map<String, String> env)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", Fixtures.testClasspath()));
        command.addAll(jvmOptions);
        command.add("-Drnn4j.quietStart=false");
        command.addAll(List.of(main.getName(), "tf"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("TF_CPP_MIN_LOG_LEVEL"); // the build sets it for its own test JVMs
        pb.environment().remove("TF_ENABLE_ONEDNN_OPTS");
        pb.environment().putAll(env);
        return pb.start();
    }
}
