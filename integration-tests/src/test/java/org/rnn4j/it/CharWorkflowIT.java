package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.json.SpecJson;

/** train -> generate for a character model through the real CLI, on each engine. */
class CharWorkflowIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void trainThenGenerate(String backend) throws Exception {
        Path run = tmp.resolve("char-" + backend);
        Cli.run(
                        "train",
                        "--zoo",
                        "char-embedding-lstm",
                        "--data",
                        "kjv",
                        "--max-chars",
                        "6000",
                        "--epochs",
                        "3",
                        "--backend",
                        backend,
                        "--out",
                        run.toString(),
                        "--no-progress")
                .ok();
        JsonNode ev = SpecJson.parse(Files.readString(run.resolve("evaluation.json")), "evaluation.json");
        JsonNode history = SpecJson.parse(Files.readString(run.resolve("history.json")), "history.json");
        String kjv = new String(org.rnn4j.data.DemoData.open("kjv").readNBytes(6000), StandardCharsets.UTF_8);
        Set<Integer> alphabet = kjv.chars().boxed().collect(Collectors.toSet());
        int vocab = alphabet.size();
        double last = history.get("loss").get(2).asDouble();
        assertTrue(
                last < 0.85 * Math.log(vocab),
                "training loss " + last + " nats should be clearly below ln(vocab) = " + Math.log(vocab));
        assertTrue(last < history.get("loss").get(0).asDouble(), "the loss falls");
        assertTrue(ev.toString().contains("perplexity"), ev.toString());
        Cli a = Cli.run(
                        "generate",
                        "--model",
                        run.toString(),
                        "--seed-text",
                        "In the beginning",
                        "--length",
                        "80",
                        "--temperature",
                        "0.8",
                        "--seed",
                        "7",
                        "--backend",
                        backend)
                .ok();
        Cli b = Cli.run(
                        "generate",
                        "--model",
                        run.toString(),
                        "--seed-text",
                        "In the beginning",
                        "--length",
                        "80",
                        "--temperature",
                        "0.8",
                        "--seed",
                        "7",
                        "--backend",
                        backend)
                .ok();
        assertEquals(a.out(), b.out(), "the same --seed gives the same text");
        String generated = a.out();
        assertTrue(generated.startsWith("In the beginning"), generated);
        assertEquals(
                "In the beginning".length() + 80,
                generated.length(),
                "the seed text, then exactly 80 characters: [" + generated + "]");
        generated
                .substring("In the beginning".length(), "In the beginning".length() + 80)
                .chars()
                .forEach(c -> assertTrue(alphabet.contains(c), "character " + (char) c + " is not in the vocabulary"));
    }
}
