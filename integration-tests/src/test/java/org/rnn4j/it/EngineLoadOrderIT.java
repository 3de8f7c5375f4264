package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TensorFlow Java and ND4J share JavaCPP: either may load first, and both run in one process. */
class EngineLoadOrderIT {

    @ParameterizedTest
    @ValueSource(strings = {"tf,dl4j", "dl4j,tf"})
    void bothEnginesRunInOneFreshJvmInEitherOrder(String order) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        List.of(java, "-Xmx2g", "-cp", Fixtures.testClasspath(), LoadOrderMain.class.getName(), order))
                .redirectErrorStream(true);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("order=" + order + " maxAbsDiff="), out);
    }
}
