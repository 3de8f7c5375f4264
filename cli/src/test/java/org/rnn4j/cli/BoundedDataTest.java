package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.plan.DataSource;
import org.rnn4j.zoo.recipe.TextRecipe;

/**
 * CSV and text data read into memory are held to their caps; a text above its cap is read only as far
 * as --max-chars needs, and train streams a CSV above its cap instead of reading it whole.
 */
class BoundedDataTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clearCaps() {
        System.clearProperty(CacheFolder.PROPERTY);
        System.clearProperty(InputCap.CSV.property());
        System.clearProperty(InputCap.TEXT.property());
    }

    @Test
    void aCsvAboveItsCapIsRefusedInMemoryWithTheWayOutAndStreamedByTrain() throws Exception {
        System.setProperty(InputCap.CSV.property(), "65536");
        System.setProperty(CacheFolder.PROPERTY, tmp.resolve("cache").toString());
        Path csv = tmp.resolve("prices.csv");
        StringBuilder b = new StringBuilder("Date,Close\n");
        for (int d = 0; d < 10_000; d++) {
            b.append(java.time.LocalDate.of(1990, 1, 1).plusDays(d))
                    .append(',')
                    .append(100 + d % 7)
                    .append('\n');
        }
        Files.writeString(csv, b);
        // compare prepares its data in memory: the cap holds.
        CliRun.of(
                        "compare",
                        "--zoo",
                        "stock-simple-rnn",
                        "--data",
                        csv.toString(),
                        "--out",
                        tmp.resolve("compare").toString())
                .badInput(
                        csv
                                + " is larger than the CSV file cap of 65536 bytes; raise -Drnn4j.maxCsvBytes / RNN4J_MAX_CSV_BYTES");
        // train streams a file above the cap through its column cache, in bounded memory (#13).
        CliRun streamed = CliRun.of(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--data",
                        csv.toString(),
                        "--epochs",
                        "1",
                        "--no-progress",
                        "--out",
                        tmp.resolve("run").toString())
                .ok();
        assertTrue(streamed.out().contains("streamed from a column cache"), streamed.out());
    }

    @Test
    void aTextAboveItsCapIsReadOnlyAsFarAsMaxCharsNeeds() throws Exception {
        System.setProperty(InputCap.TEXT.property(), "4096");
        Path text = tmp.resolve("corpus.txt");
        try (RandomAccessFile f = new RandomAccessFile(text.toFile(), "rw")) {
            f.write("In the beginning. ".repeat(1000).getBytes(StandardCharsets.UTF_8));
            f.setLength(1L << 40); // and then a sparse terabyte that must never be read
        }
        int recipeChars = ((TextRecipe) Zoo.get("char-onehot-lstm").recipe()).maxCharacters();
        String read =
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> DataSource.text(text.toString(), recipeChars));
        assertEquals("In the beginning. ".repeat(1000), read.substring(0, 18_000));
        assertEquals(recipeChars, read.length(), "the recipe's own characters, no more");
        assertEquals(500, DataSource.text(text.toString(), 500).length());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DataSource.text(text.toString(), 0));
        assertEquals(
                "--data " + text + " is larger than the text file cap of 4096 bytes; give --max-chars N to read only"
                        + " its first N characters, or raise -Drnn4j.maxTextBytes / RNN4J_MAX_TEXT_BYTES",
                e.getMessage());
    }

    @Test
    void devZeroIsNotData() {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        CliRun.of(
                        "train",
                        "--zoo",
                        "char-onehot-lstm",
                        "--data",
                        "/dev/zero",
                        "--out",
                        tmp.resolve("r").toString())
                .badInput("--data /dev/zero is not a regular file");
    }
}
