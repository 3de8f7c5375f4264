package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unknown {@code --backend} is refused before anything else: every case names input that does
 * not exist and an output folder that does not exist yet, so the backend's line can only come
 * first, and the folder is never made.
 */
class BackendFirstTest {
    private static final String UNKNOWN = "unknown backend 'torch'; available: [";

    @TempDir
    Path tmp;

    @Test
    void trainRefusesAnUnknownEngineBeforeReadingDataOrMakingTheRunFolder() {
        Path run = tmp.resolve("run");
        CliRun.of(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--data",
                        "/nope.csv",
                        "--backend",
                        "torch",
                        "--out",
                        run.toString())
                .badInput(UNKNOWN)
                .assertOneErrorLine("; choose with --backend");
        assertFalse(Files.exists(run), "no run folder for a refused run");
    }

    @Test
    void everyEngineCommandChecksTheEngineFirst() {
        CliRun.of("predict", "--model", "/nope", "--input", "/nope.json", "--backend", "torch")
                .badInput(UNKNOWN);
        CliRun.of("evaluate", "--model", "/nope", "--backend", "torch").badInput(UNKNOWN);
        CliRun.of("forecast", "--model", "/nope", "--steps", "2", "--backend", "torch")
                .badInput(UNKNOWN);
        CliRun.of("generate", "--model", "/nope", "--seed-text", "a", "--length", "2", "--backend", "torch")
                .badInput(UNKNOWN);
        Path out = tmp.resolve("fit");
        CliRun.of(
                        "fit",
                        "--model",
                        "/nope",
                        "--x",
                        "/x.json",
                        "--y",
                        "/y.json",
                        "--loss",
                        "mse",
                        "--backend",
                        "torch",
                        "--out",
                        out.toString())
                .badInput(UNKNOWN);
        assertFalse(Files.exists(out));
    }
}
