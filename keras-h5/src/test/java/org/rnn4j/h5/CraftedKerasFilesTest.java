package org.rnn4j.h5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.conformance.OracleCases;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.api.input.InputTooLargeException;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.json.SpecException;

/** Crafted HDF5 files and zips, each made here from the shipped fixtures, end in one line, fast. */
class CraftedKerasFilesTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clearCaps() {
        System.clearProperty(InputCap.HDF5.property());
    }

    static byte[] fixture(String name) {
        return OracleCases.bytes("h5/" + name);
    }

    /** Makes the root group's B-tree (the first "TREE" node) a level-1 node whose first child is itself. */
    static byte[] selfReferencingBTree(byte[] h5) {
        byte[] d = h5.clone();
        int tree = indexOf(d, "TREE".getBytes(StandardCharsets.US_ASCII), 0);
        assertTrue(tree > 0, "the fixture has a version-1 B-tree");
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        b.put(tree + 5, (byte) 1); // node level 1: its children are B-tree nodes
        b.putLong(tree + 24 + 8, tree); // child 0 (after the 24-byte header and key 0) = this node
        return d;
    }

    static int indexOf(byte[] d, byte[] what, int from) {
        outer:
        for (int i = from; i <= d.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (d[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static long allocatedBy(Runnable body) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        body.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    private static final String LOOP = "is not readable: its structure nests too deeply or loops back on itself";

    @Test
    void aBTreeThatPointsToItselfEndsInOneLineFast() throws IOException {
        LoadedModel ref = OracleCases.model("oracle/cases/lstm_seq_stack");
        Path weights = write("loop.weights.h5", selfReferencingBTree(fixture("lstm_seq_stack.keras3.weights.h5")));
        assertEquals(20536, Files.size(weights), "the 21 kB file of the report");
        IllegalArgumentException e = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> assertThrows(IllegalArgumentException.class, () -> KerasH5.readWeights(weights, ref.spec())));
        assertEquals(weights + " (HDF5) " + LOOP, e.getMessage());

        Path legacy = write("loop.h5", selfReferencingBTree(fixture("lstm_seq_stack.legacy.h5")));
        e = assertTimeoutPreemptively(
                Duration.ofSeconds(20), () -> assertThrows(IllegalArgumentException.class, () -> KerasH5.load(legacy)));
        assertEquals(legacy + " (HDF5) " + LOOP, e.getMessage());
    }

    @Test
    void aBTreeLoopInsideAKerasArchiveEndsInOneLine() throws IOException {
        Path keras = tmp.resolve("loop.keras");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(keras))) {
            z.putNextEntry(new ZipEntry("config.json"));
            z.write(OracleCases.bytes("oracle/cases/lstm_seq_stack/model.json"));
            z.putNextEntry(new ZipEntry("model.weights.h5"));
            z.write(selfReferencingBTree(fixture("lstm_seq_stack.keras3.weights.h5")));
        }
        IllegalArgumentException e = assertTimeoutPreemptively(
                Duration.ofSeconds(20), () -> assertThrows(IllegalArgumentException.class, () -> KerasH5.load(keras)));
        assertEquals(keras + "!model.weights.h5 (HDF5) " + LOOP, e.getMessage());
    }

    /** A .keras whose weights entry is {@code mib} MiB of zeros, deflated (about 1,000x). */
    private Path bomb(String name, int mib) throws IOException {
        Path p = tmp.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            z.putNextEntry(new ZipEntry("config.json"));
            z.write(OracleCases.bytes("oracle/cases/lstm_seq_stack/model.json"));
            z.putNextEntry(new ZipEntry("model.weights.h5"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < mib; i++) {
                z.write(zeros);
            }
        }
        return p;
    }

    /** Sets the compressed size the central directory claims for {@code entry}. */
    static void lieInCentralDirectory(Path zip, String entry, int claimedCompressedSize) throws IOException {
        byte[] d = Files.readAllBytes(zip);
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        byte[] cen = {'P', 'K', 1, 2};
        for (int at = indexOf(d, cen, 0); at >= 0; at = indexOf(d, cen, at + 4)) {
            int nameLength = b.getShort(at + 28) & 0xffff;
            if (new String(d, at + 46, nameLength, StandardCharsets.UTF_8).equals(entry)) {
                b.putInt(at + 20, claimedCompressedSize);
                Files.write(zip, d);
                return;
            }
        }
        throw new AssertionError("no central directory record for " + entry);
    }

    @Test
    void anHonestBombIsRefusedAfterAboutAMegabyte() throws IOException {
        Path bomb = bomb("honest.keras", 256);
        SpecException[] e = new SpecException[1];
        long allocated = allocatedBy(() -> e[0] = assertThrows(SpecException.class, () -> KerasH5.load(bomb)));
        assertTrue(
                e[0].getMessage().contains("archive entry model.weights.h5 expands more than 200x"), e[0].getMessage());
        // The old check trusted the entry's total compressed size and inflated 51 MB before refusing this one.
        assertTrue(allocated < 16L << 20, "allocated " + allocated + " bytes before refusing");
    }

    @Test
    void aCentralDirectoryThatLiesAboutSizesIsNotBelieved() throws IOException {
        Path bomb = bomb("lying.keras", 256);
        lieInCentralDirectory(bomb, "model.weights.h5", 250_000_000);
        SpecException[] e = new SpecException[1];
        long allocated = allocatedBy(() -> e[0] = assertThrows(SpecException.class, () -> KerasH5.load(bomb)));
        assertTrue(e[0].getMessage().contains("expands more than 200x"), e[0].getMessage());
        assertTrue(allocated < 16L << 20, "allocated " + allocated + " bytes before refusing");
    }

    @Test
    void anEntryGivenTwiceIsRefused() throws IOException {
        Path twice = tmp.resolve("twice.keras");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(twice))) {
            for (int i = 0; i < 2; i++) {
                // ZipOutputStream refuses duplicate names, so the second one differs in case first and is patched
                // below.
                z.putNextEntry(new ZipEntry(i == 0 ? "config.json" : "CONFIG.json"));
                z.write("{}".getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] d = Files.readAllBytes(twice);
        for (int at = indexOf(d, "CONFIG".getBytes(StandardCharsets.US_ASCII), 0);
                at >= 0;
                at = indexOf(d, "CONFIG".getBytes(StandardCharsets.US_ASCII), at + 1)) {
            System.arraycopy("config".getBytes(StandardCharsets.US_ASCII), 0, d, at, 6);
        }
        Files.write(twice, d);
        SpecException e = assertThrows(SpecException.class, () -> KerasH5.load(twice));
        assertTrue(e.getMessage().contains("holds the entry config.json twice"), e.getMessage());
    }

    @Test
    void specialFilesAreRefusedBeforeOpening() throws Exception {
        Path fifo = tmp.resolve("pipe.h5");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo is not available");
        IllegalArgumentException e = assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> assertThrows(IllegalArgumentException.class, () -> KerasH5.load(fifo)));
        assertTrue(e.getMessage()
                .endsWith("is not a regular file (a device, FIFO or socket); rnn4j reads regular files only"));
        Path fifoKeras = tmp.resolve("pipe.keras");
        Files.move(fifo, fifoKeras);
        e = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThrows(IllegalArgumentException.class, () -> KerasH5.load(fifoKeras)));
        assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
    }

    @Test
    void hdf5FilesAreHeldToTheirCap() throws IOException {
        System.setProperty(InputCap.HDF5.property(), "1000");
        Path h5 = write("w.weights.h5", fixture("lstm_seq_stack.keras3.weights.h5"));
        InputTooLargeException e = assertThrows(
                InputTooLargeException.class,
                () -> KerasH5.readWeights(
                        h5, OracleCases.model("oracle/cases/lstm_seq_stack").spec()));
        assertEquals(
                h5 + " is 20536 bytes, larger than the HDF5 file cap of 1000 bytes; raise -Drnn4j.maxHdf5Bytes"
                        + " / RNN4J_MAX_HDF5_BYTES",
                e.getMessage());
    }

    @Test
    void notAZipAtAllSaysSo() throws IOException {
        Path p = write("x.keras", "plain text".getBytes(StandardCharsets.UTF_8));
        SpecException e = assertThrows(SpecException.class, () -> KerasH5.load(p));
        assertTrue(e.getMessage().contains("is not a zip archive"), e.getMessage());
        byte[] real = fixture("lstm_seq_stack.keras");
        try (OutputStream out = Files.newOutputStream(p)) {
            out.write(real, 0, 300); // cut inside config.json's compressed data
        }
        e = assertThrows(SpecException.class, () -> KerasH5.load(p));
        assertTrue(e.getMessage().contains("is not a valid .keras archive"), e.getMessage());
    }
}
