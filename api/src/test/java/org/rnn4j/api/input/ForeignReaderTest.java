package org.rnn4j.api.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForeignReaderTest {
    @AfterEach
    void clearCaps() {
        System.clearProperty(InputCap.READ_SECONDS.property());
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    @Test
    void aStackOverflowIsABadFile() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ForeignReader.isolated("x.h5 (HDF5)", 20_000, () -> recurse(0)));
        assertEquals(
                "x.h5 (HDF5) is not readable: its structure nests too deeply or loops back on itself", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ForeignReader.run("y.json", () -> recurse(0)));
        assertTrue(e.getMessage().startsWith("y.json is not readable"), e.getMessage());
    }

    @Test
    void outOfMemoryIsARuntimeFailureUnlessTheInputCouldNeverHonestlyNeedIt() {
        long heap = Runtime.getRuntime().maxMemory();
        IOException e = assertThrows(
                IOException.class,
                () -> ForeignReader.isolated("x.h5", heap, () -> {
                    throw new OutOfMemoryError("Java heap space");
                }));
        assertTrue(e.getMessage().startsWith("reading x.h5 needs more memory than this JVM has ("), e.getMessage());
        e = assertThrows(
                IOException.class,
                () -> ForeignReader.run("y.json", () -> {
                    throw new OutOfMemoryError("Java heap space");
                }));
        assertTrue(e.getMessage().startsWith("reading y.json needs more memory"), e.getMessage());
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> ForeignReader.isolated("z.h5", 20_000, () -> {
                    throw new OutOfMemoryError("Java heap space");
                }));
        assertTrue(
                bad.getMessage()
                        .startsWith("z.h5 is not readable: a size in it asks for more memory than this JVM has"),
                bad.getMessage());
        assertTrue(bad.getMessage().endsWith("far more than a file of 20000 bytes can hold; the file is corrupt"));
    }

    @Test
    void foreignRuntimeExceptionsBecomeOneLineNamingTheFile() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ForeignReader.run("z.keras", () -> {
                    throw new IllegalStateException("bad superblock\n at offset 0");
                }));
        assertEquals("z.keras is not readable: bad superblock", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> ForeignReader.run("z.keras", () -> {
                    throw new IllegalArgumentException("ours, already one line");
                }));
        assertEquals("ours, already one line", e.getMessage());
    }

    @Test
    void aReaderThatNeverEndsIsStoppedAtTheTimeLimit() {
        System.setProperty(InputCap.READ_SECONDS.property(), "1");
        IllegalArgumentException e = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> assertThrows(
                        IllegalArgumentException.class,
                        () -> ForeignReader.isolated("loop.h5", 20_000, () -> {
                            while (true) {
                                Thread.onSpinWait();
                            }
                        })));
        assertEquals(
                "loop.h5 was not read within the reading time cap of 1 s (a loop in the file's structure?);"
                        + " raise -Drnn4j.maxReadSeconds / RNN4J_MAX_READ_SECONDS",
                e.getMessage());
    }
}
