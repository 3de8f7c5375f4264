package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.zoo.plan.Streaming;

/** {@code train --data FILE} streams a file too large for memory; here every file streams ({@code -Drnn4j.streamAbove=0}). */
class StreamedTrainTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void cacheHere() {
        System.setProperty(CacheFolder.PROPERTY, tmp.resolve("cache").toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty(CacheFolder.PROPERTY);
        System.clearProperty(Streaming.STREAM_ABOVE);
    }

    private Path csv(int rows, int badRow) throws IOException {
        Path file = tmp.resolve("prices.csv");
        SplittableRandom r = new SplittableRandom(9);
        double price = 500;
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("close\n");
            for (int i = 0; i < rows; i++) {
                price *= 1 + (r.nextDouble() - 0.5) / 30;
                w.write(i == badRow ? "1,2\n" : String.format(Locale.ROOT, "%.4f%n", price));
            }
        }
        return file;
    }

    private static CliRun train(Path data, Path out) {
        return CliRun.of(
                "train",
                "--zoo",
                "stock-simple-rnn",
                "--data",
                data.toString(),
                "--column",
                "close",
                "--epochs",
                "2",
                "--out",
                out.toString(),
                "--no-progress");
    }

    @Test
    void aStreamedRunTrainsTheWeightsOfTheInMemoryRun() throws IOException {
        Path data = csv(1_500, -1);
        CliRun memory = train(data, tmp.resolve("memory")).ok();
        assertTrue(memory.out().contains("train / "), memory.out());

        System.setProperty(Streaming.STREAM_ABOVE, "0");
        CliRun streamed = train(data, tmp.resolve("streamed")).ok();
        assertTrue(streamed.out().contains("streamed from a column cache"), streamed.out());
        assertTrue(
                streamed.err().contains("Building the column cache of prices.csv: 1,500 rows (100%)"), streamed.err());
        assertTrue(streamed.err().contains("(there was no cache file)"), streamed.err());
        assertArrayEquals(
                Files.readAllBytes(tmp.resolve("memory/weights.bin")),
                Files.readAllBytes(tmp.resolve("streamed/weights.bin")),
                "the same training, batch for batch");
        List<String> memoryHistory = Files.readAllLines(tmp.resolve("memory/history.csv"));
        List<String> streamedHistory = Files.readAllLines(tmp.resolve("streamed/history.csv"));
        assertEquals(memoryHistory.get(0), streamedHistory.get(0));
        for (int e = 1; e <= 2; e++) {
            String[] m = memoryHistory.get(e).split(",");
            String[] s = streamedHistory.get(e).split(",");
            assertArrayEquals(
                    java.util.Arrays.copyOf(m, 5), java.util.Arrays.copyOf(s, 5), "epoch, losses and metrics");
        }
        assertTrue(Files.exists(tmp.resolve("streamed/forecast.png")));

        CliRun again = train(data, tmp.resolve("again")).ok();
        assertTrue(again.err().contains("Reusing the cache"), again.err());
    }

    /**
     * {@code evaluate} and {@code forecast} read a series file too large for memory through its
     * column cache: the same evaluation (the scores, the verdict) and the same forecast as in memory.
     */
    @Test
    void evaluateAndForecastStreamTheScoresAndForecastOfTheInMemoryRead() throws IOException {
        Path data = csv(1_500, -1);
        Path run = tmp.resolve("run");
        train(data, run).ok();
        String model = run.toString();
        CliRun.of(
                        "evaluate",
                        "--model",
                        model,
                        "--data",
                        data.toString(),
                        "--output",
                        tmp.resolve("m.json").toString())
                .ok();
        CliRun memoryForecast = CliRun.of("forecast", "--model", model, "--data", data.toString(), "--steps", "3")
                .ok();

        System.setProperty(Streaming.STREAM_ABOVE, "0");
        CliRun evaluated = CliRun.of(
                        "evaluate",
                        "--model",
                        model,
                        "--data",
                        data.toString(),
                        "--output",
                        tmp.resolve("s.json").toString())
                .ok();
        assertTrue(evaluated.err().contains("Built the cache"), evaluated.err());
        assertEquals(
                Files.readString(tmp.resolve("m.json")),
                Files.readString(tmp.resolve("s.json")),
                "the same scores from the streamed read");
        CliRun streamedForecast = CliRun.of("forecast", "--model", model, "--data", data.toString(), "--steps", "3")
                .ok();
        assertTrue(streamedForecast.err().contains("Reusing the cache"), streamedForecast.err());
        assertTrue(memoryForecast.out().contains("t+3\t"), memoryForecast.out());
        assertEquals(memoryForecast.out(), streamedForecast.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"char-embedding-lstm", "word-embedding-lstm"})
    void streamedTextTrainsTheWeightsOfTheInMemoryRun(String zoo) throws IOException {
        Path data = Files.writeString(
                tmp.resolve("kjv.txt"), DemoData.text(DemoData.KJV).substring(0, 60_000));
        String[] args = {
            "train",
            "--zoo",
            zoo,
            "--data",
            data.toString(),
            "--max-chars",
            "40000",
            "--epochs",
            "1",
            "--no-progress",
            "--out"
        };
        CliRun memory =
                CliRun.of(concat(args, tmp.resolve("memory").toString())).ok();
        System.setProperty(Streaming.STREAM_ABOVE, "0");
        CliRun streamed =
                CliRun.of(concat(args, tmp.resolve("streamed").toString())).ok();
        assertTrue(streamed.out().contains("streamed from a token cache"), streamed.out());
        assertTrue(
                streamed.err()
                        .contains("Building the " + (zoo.startsWith("char") ? "character" : "word")
                                + " cache of kjv.txt"),
                streamed.err());
        assertArrayEquals(
                Files.readAllBytes(tmp.resolve("memory/weights.bin")),
                Files.readAllBytes(tmp.resolve("streamed/weights.bin")));
        assertEquals(lastLine(memory.out()), lastLine(streamed.out()).replace("streamed", "memory"));
        String memoryScore = memory.out()
                .lines()
                .filter(l -> l.startsWith("Test split"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                memoryScore,
                streamed.out()
                        .lines()
                        .filter(l -> l.startsWith("Test split"))
                        .findFirst()
                        .orElseThrow());
    }

    private static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n", -1);
        return lines[lines.length - 1];
    }

    @Test
    void aBadRowDeepInAStreamedCsvNamesItsLineAndLeavesNoCache() throws IOException {
        Path data = csv(20_000, 18_000);
        System.setProperty(Streaming.STREAM_ABOVE, "0");
        train(data, tmp.resolve("run"))
                .badInput(data + ", line 18002: the row has 2 fields but the header has 1 [close];"
                        + " quote fields that contain commas");
        try (Stream<Path> files = Files.list(tmp.resolve("cache"))) {
            assertTrue(files.allMatch(f -> f.toString().endsWith(".lock")), "no cache or temporary file");
        }
        assertTrue(!Files.exists(tmp.resolve("run")), "no run folder");
    }
}
