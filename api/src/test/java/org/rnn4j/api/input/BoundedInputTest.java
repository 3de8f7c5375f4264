package org.rnn4j.api.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedInputTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clearCaps() {
        System.clearProperty(InputCap.JSON.property());
        System.clearProperty(InputCap.TEXT.property());
    }

    static Path fifo(Path dir) throws Exception {
        Path p = dir.resolve("pipe.json");
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo is not available");
        return p;
    }

    @Test
    void devicesAreRefusedBeforeOpening() {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> BoundedInput.readAll(Path.of("/dev/zero"), InputCap.JSON));
        assertEquals(
                "/dev/zero is not a regular file (a device, FIFO or socket); rnn4j reads regular files only",
                e.getMessage());
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path p = fifo(tmp);
        IllegalArgumentException e = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThrows(IllegalArgumentException.class, () -> BoundedInput.readAll(p, InputCap.JSON)));
        assertTrue(e.getMessage()
                .endsWith("is not a regular file (a device, FIFO or socket); rnn4j reads regular files only"));
    }

    @Test
    void aDirectoryIsNotAFile() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BoundedInput.readAll(tmp, InputCap.JSON));
        assertEquals(tmp + " is a directory; give a file", e.getMessage());
    }

    @Test
    void theCapCountsBytesReadNotTheReportedSize() throws IOException {
        System.setProperty(InputCap.JSON.property(), "1000");
        Path ok = tmp.resolve("ok.json");
        Files.write(ok, new byte[1000]);
        assertEquals(1000, BoundedInput.readAll(ok, InputCap.JSON).length);
        Path big = tmp.resolve("big.json");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(1L << 40); // a sparse terabyte: reading it whole would take hours
        }
        InputTooLargeException e =
                assertThrows(InputTooLargeException.class, () -> BoundedInput.readAll(big, InputCap.JSON));
        assertEquals(
                big
                        + " is larger than the JSON file cap of 1000 bytes; raise -Drnn4j.maxJsonBytes / RNN4J_MAX_JSON_BYTES",
                e.getMessage());
    }

    @Test
    void aBadCapValueSaysWhichSetting() {
        System.setProperty(InputCap.JSON.property(), "lots");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, InputCap.JSON::value);
        assertEquals(
                "rnn4j.maxJsonBytes / RNN4J_MAX_JSON_BYTES must be a positive whole number (bytes), got 'lots'",
                e.getMessage());
    }

    @Test
    void aTextAboveTheCapIsReadOnlyUpToTheCharactersAskedFor() throws IOException {
        System.setProperty(InputCap.TEXT.property(), "4096");
        Path small = tmp.resolve("small.txt");
        Files.writeString(small, "héllo wörld", StandardCharsets.UTF_8);
        assertEquals("héllo wörld", BoundedInput.readText(small, 3), "within the cap the whole text is read");
        Path big = tmp.resolve("big.txt");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.write("ab€d".repeat(2000).getBytes(StandardCharsets.UTF_8));
            f.setLength(1L << 40); // then a sparse terabyte of NUL bytes, never read
        }
        assertEquals("ab€d".repeat(1000) + "ab", BoundedInput.readText(big, 4002));
        InputTooLargeException e = assertThrows(InputTooLargeException.class, () -> BoundedInput.readText(big, 0));
        assertTrue(e.getMessage().startsWith(big + " is larger than the text file cap"), e.getMessage());
        assertTrue(
                e.getMessage()
                        .endsWith("the text file cap of 4096 bytes; raise -Drnn4j.maxTextBytes / RNN4J_MAX_TEXT_BYTES"),
                e.getMessage());
    }

    @Test
    void textMustBeUtf8() throws IOException {
        Path latin1 = tmp.resolve("latin1.txt");
        Files.write(latin1, "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BoundedInput.readText(latin1, 0));
        assertEquals(latin1 + " is not UTF-8 text", e.getMessage());
    }
}
