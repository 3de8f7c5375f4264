package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.conformance.OracleCases;
import org.rnn4j.api.io.TensorJson;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.tensor.Tensor;

/**
 * {@code predict} in its own process prints exactly one line, the tensor JSON, on stdout: engine
 * and library logs (ND4J's start-up INFO lines, jHDF's logging config) must not reach it.
 */
class CleanStdoutIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void predictPrintsOnlyTheTensor(String backend) throws Exception {
        Path dir = tmp.resolve("case");
        OracleCases.copyCase(
                "oracle/cases/lstm_seq_stack",
                List.of("model.json", "weights.bin", "input.json", "expected.json"),
                dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "-Xmx1g",
                        "-cp",
                        Fixtures.testClasspath(),
                        "org.rnn4j.cli.Main",
                        "predict",
                        "--model",
                        dir.resolve("model.json").toString(),
                        "--input",
                        dir.resolve("input.json").toString(),
                        "--backend",
                        backend)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals(1, lines.size(), "stdout must be the tensor JSON alone, got:\n" + out);
        Tensor actual = TensorJson.read(SpecJson.parse(lines.get(0), "stdout"), "stdout");
        Tensor expected = OracleCases.tensor("oracle/cases/lstm_seq_stack/expected.json");
        assertTrue(actual.maxAbsDiff(expected) <= 1e-5);
    }
}
