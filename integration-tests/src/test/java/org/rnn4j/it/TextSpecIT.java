package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.json.SpecJson;

/** {@code train --spec} on text specs (an Embedding over characters or words) and {@code generate} on them, per engine. */
class TextSpecIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void embeddingCharacterSpecTrainsScoresAndGenerates(String backend) throws Exception {
        Path run = tmp.resolve("chars");
        Cli train = Cli.run(
                        "train",
                        "--spec",
                        ForecastingIT.exampleSpec("char_embedding_lstm.json").toString(),
                        "--max-chars",
                        "5000",
                        "--epochs",
                        "1",
                        "--backend",
                        backend,
                        "--out",
                        run.toString(),
                        "--no-progress")
                .ok();
        assertTrue(train.out().contains("sequences of characters"), train.out());
        JsonNode ev = SpecJson.parse(Files.readString(run.resolve("evaluation.json")), "evaluation.json");
        assertTrue(ev.get("bitsPerCharacter").asDouble() > 0);
        double unigram = ev.get("unigramBitsPerCharacter").asDouble();
        assertTrue(unigram > 2 && unigram < Math.log(80) / Math.log(2), "unigram entropy " + unigram);
        Cli g = Cli.run(
                        "generate",
                        "--model",
                        run.toString(),
                        "--seed-text",
                        "And God",
                        "--length",
                        "30",
                        "--seed",
                        "3",
                        "--backend",
                        backend)
                .ok();
        assertEquals("And God".length() + 30, g.out().codePointCount(0, g.out().length()), g.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void wordModelGeneratesExactlyNWords(String backend) throws Exception {
        Path run = tmp.resolve("words");
        Cli.run(
                        "train",
                        "--spec",
                        ForecastingIT.exampleSpec("word_embedding_lstm.json").toString(),
                        "--max-chars",
                        "20000",
                        "--epochs",
                        "1",
                        "--backend",
                        backend,
                        "--out",
                        run.toString(),
                        "--no-progress")
                .ok();
        JsonNode ev = SpecJson.parse(Files.readString(run.resolve("evaluation.json")), "evaluation.json");
        assertEquals("word", ev.get("unit").asText());
        assertTrue(ev.get("unigramBitsPerWord").asDouble() > 0);
        String[] args = {
            "generate",
            "--model",
            run.toString(),
            "--seed-text",
            "and God said",
            "--length",
            "12",
            "--seed",
            "5",
            "--temperature",
            "0.8",
            "--backend",
            backend
        };
        Cli a = Cli.run(args).ok();
        String[] words = a.out().strip().split(" ");
        assertEquals(3 + 12, words.length, a.out());
        assertEquals("and God said", String.join(" ", java.util.Arrays.copyOf(words, 3)));
        assertEquals(a.out(), Cli.run(args).ok().out(), "the same seed gives the same words");
    }
}
