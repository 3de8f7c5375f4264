package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.conformance.OracleCases;
import org.rnn4j.api.io.TensorJson;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.tensor.Tensor;

/**
 * A Keras file whose training configuration rnn4j cannot honour (here an Ftrl optimizer) still
 * predicts, and says on stderr which field was not used; training it needs a loss and optimizer of
 * one's own.
 */
class KerasTrainingConfigIT {
    @TempDir
    Path tmp;

    @Test
    void predictWorksAndStderrNamesTheIgnoredField() throws Exception {
        String folder = "oracle/cases/dense_activations";
        OracleCases.copyCase(folder, List.of("model.json", "weights.bin", "input.json", "expected.json"), tmp);
        ObjectNode model = (ObjectNode) SpecJson.parse(Files.readString(tmp.resolve("model.json")), "model.json");
        model.set("training_config", SpecJson.parse("""
                {"loss": "mse", "metrics": [], "optimizer_config": {"class_name": "Ftrl",
                 "config": {"learning_rate": 0.001, "l1_regularization_strength": 0.1}}}""", "training_config"));
        Files.writeString(tmp.resolve("model.json"), SpecJson.mapper().writeValueAsString(model));

        // Its own process, as a user runs it: the library's warnings reach the real stderr.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx1g",
                "-cp",
                Fixtures.testClasspath(),
                "org.rnn4j.cli.Main",
                "predict",
                "--model",
                tmp.resolve("model.json").toString(),
                "--input",
                tmp.resolve("input.json").toString());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), stdout);
        String err = Files.readString(tmp.resolve("stderr.txt"));
        Tensor out = TensorJson.read(SpecJson.parse(stdout, "stdout"), "stdout");
        assertTrue(out.maxAbsDiff(TensorJson.read(tmp.resolve("expected.json"))) <= 1e-5);
        List<String> lines =
                err.lines().filter(l -> l.contains("training_config")).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(
                lines.get(0)
                        .contains("$.training_config.optimizer_config.class_name: optimizer 'Ftrl' is not one rnn4j"
                                + " has"),
                lines.get(0));
        assertTrue(lines.get(0).contains("compile the model again before training"), lines.get(0));

        // With a loss and optimizer of its own, the same file trains.
        Cli.run(
                        "fit",
                        "--model",
                        tmp.resolve("model.json").toString(),
                        "--x",
                        tmp.resolve("input.json").toString(),
                        "--y",
                        tmp.resolve("expected.json").toString(),
                        "--loss",
                        "mse",
                        "--optimizer",
                        "{\"type\": \"adam\", \"learning_rate\": {\"type\": \"exponential_decay\","
                                + " \"initial_learning_rate\": 0.01, \"decay_steps\": 1, \"decay_rate\": 0.5}}",
                        "--epochs",
                        "2",
                        "--out",
                        tmp.resolve("fitted").toString())
                .ok();
    }
}
