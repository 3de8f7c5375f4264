package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.zoo.recipe.Preprocessing;

/** One in-process run of the CLI with its exit code and captured output. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Asserts exit code 2 with exactly one error line containing {@code fragment}, nothing on stdout, no stack trace. */
    CliRun badInput(String fragment) {
        assertEquals(2, code, () -> "exit code; stderr: " + err);
        assertOneErrorLine(fragment);
        return this;
    }

    CliRun assertOneErrorLine(String fragment) {
        String[] lines = err.strip().split("\n", -1);
        assertEquals(1, lines.length, () -> "expected one error line, got:\n" + err);
        assertTrue(lines[0].startsWith("rnn4j: error: "), lines[0]);
        assertTrue(lines[0].contains(fragment), () -> "'" + fragment + "' not in: " + lines[0]);
        assertFalse(err.contains("\tat "), "no stack trace without --verbose");
        assertEquals("", out, "nothing on stdout for an error");
        return this;
    }

    CliRun ok() {
        assertEquals(0, code, () -> "exit code; stderr: " + err);
        return this;
    }

    /** The repository's examples/specs folder, found from the module directory the tests run in. */
    static Path exampleSpec(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("examples/specs").resolve(name);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException(
                "examples/specs/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    /** Saves {@code spec} with seeded weights (no engine) and, if given, a preprocessing, as 'rnn4j train' would. */
    static Path savedModel(Path dir, ModelSpec spec, Preprocessing preprocessing, String data) throws IOException {
        ObjectNode extras = SpecJson.mapper().createObjectNode();
        if (preprocessing != null) {
            extras.set(Preprocessing.EXTRAS_FIELD, preprocessing.toJson());
        }
        if (data != null) {
            extras.put("data", data);
        }
        ModelFiles.save(
                dir, spec, WeightInitializer.initialized(spec.weights(), 1).snapshot(), extras);
        return dir;
    }
}
