package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A TensorFlow backend turns JavaCPP's per-allocation physical memory check off when nobody set
 * its limit, and keeps a limit the user set. Each case is a fresh JVM, since JavaCPP reads the
 * property once per process.
 */
class PhysicalMemoryPollingTest {

    /** The child JVM: opens a backend, runs a prediction, prints JavaCPP's limit. */
    public static final class Probe {
        public static void main(String[] args) {
            try (TfBackend b = new TfBackend()) {
                org.rnn4j.api.model.ModelSpec spec = org.rnn4j.api.model.Sequential.builder()
                        .input(3, 1)
                        .add(org.rnn4j.api.layers.Layers.simpleRnn(2))
                        .build();
                try (var p = b.compile(spec)) {
                    p.predict(org.rnn4j.api.tensor.Tensor.zeros(1, 3, 1), Fixtures.weights(spec, 1, 0.5));
                }
            }
            System.out.println("maxPhysicalBytes=" + org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
        }
    }

    private static String probe(String... jvmOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(List.of(jvmOptions));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Probe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe JVM did not finish: " + out);
        }
        assertEquals(0, p.exitValue(), out);
        return out.lines()
                .filter(l -> l.startsWith("maxPhysicalBytes="))
                .findFirst()
                .orElseThrow(() -> new AssertionError(out));
    }

    @Test
    void offUnlessTheUserSetsIt() throws Exception {
        assertEquals("maxPhysicalBytes=0", probe());
        assertEquals("maxPhysicalBytes=1073741824", probe("-Dorg.bytedeco.javacpp.maxPhysicalBytes=1g"));
        assertEquals("maxPhysicalBytes=2147483648", probe("-Dorg.bytedeco.javacpp.maxphysicalbytes=2g"));
    }
}
