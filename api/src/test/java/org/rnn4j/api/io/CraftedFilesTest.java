package org.rnn4j.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.conformance.OracleCases;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.api.input.InputTooLargeException;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.json.SpecJson;

/** Small crafted files and special files, each made by the test itself, end in one documented exception. */
class CraftedFilesTest {
    private static final String CASE = "oracle/cases/lstm_seq_stack";

    @TempDir
    Path tmp;

    @AfterEach
    void clearCaps() {
        System.clearProperty(InputCap.TENSOR.property());
    }

    private Path modelFolder() {
        OracleCases.copyCase(CASE, List.of("model.json", "weights.bin"), tmp);
        return tmp;
    }

    private static void sparse(Path file, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
    }

    /** Bytes allocated on this thread while {@code body} runs. */
    private static long allocatedBy(ThrowingRunnable body) throws Exception {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        body.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void devZeroAsAModelIsRefusedBeforeReading() {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(Path.of("/dev/zero")));
        assertEquals(
                "/dev/zero is not a regular file (a device, FIFO or socket); rnn4j reads regular files only",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TensorJson.read(Path.of("/dev/zero")));
        assertTrue(e.getMessage().startsWith("/dev/zero is not a regular file"), e.getMessage());
    }

    @Test
    void aFifoAsAModelOrBesideOneDoesNotBlock() throws Exception {
        Path fifo = tmp.resolve("model.json");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo is not available");
        IllegalArgumentException e = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(fifo)));
        assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
        e = assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(tmp)));
        assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
        Files.delete(fifo);

        Path dir = Files.createDirectories(tmp.resolve("m"));
        OracleCases.copyCase(CASE, List.of("model.json", "weights.bin"), dir);
        Process mk2 =
                new ProcessBuilder("mkfifo", dir.resolve(ModelFiles.RNN4J_JSON).toString()).start();
        assertTrue(mk2.waitFor(10, TimeUnit.SECONDS) && mk2.exitValue() == 0);
        e = assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(dir)));
        assertTrue(e.getMessage().contains("rnn4j.json is not a regular file"), e.getMessage());
    }

    @Test
    void anExtraManifestGroupIsRefusedBeforeAnyBufferIsAllocated() throws Exception {
        Path dir = modelFolder();
        ObjectNode model = (ObjectNode) SpecJson.parse(Files.readString(dir.resolve("model.json")), "model.json");
        ObjectNode extra = ((ArrayNode) model.get("weightsManifest")).addObject();
        extra.putArray("paths").add("huge.bin");
        ObjectNode w = extra.putArray("weights").addObject();
        w.put("name", "intruder/kernel");
        w.putArray("shape").add(500_000_000);
        w.put("dtype", "float32");
        Files.writeString(dir.resolve("model.json"), model.toString());
        sparse(dir.resolve("huge.bin"), 2_000_000_000L);
        long[] allocated = new long[1];
        SpecException[] e = new SpecException[1];
        allocated[0] = allocatedBy(() -> e[0] = assertThrows(SpecException.class, () -> ModelFiles.load(dir)));
        assertTrue(
                e[0].getMessage().contains("weight 'intruder/kernel' does not belong to the model"), e[0].getMessage());
        assertTrue(allocated[0] < 64L << 20, "allocated " + allocated[0] + " bytes before refusing");
    }

    @Test
    void aMissingWeightIsRefusedBeforeReading() throws Exception {
        Path dir = modelFolder();
        ObjectNode model = (ObjectNode) SpecJson.parse(Files.readString(dir.resolve("model.json")), "model.json");
        ArrayNode entries = (ArrayNode) model.get("weightsManifest").get(0).get("weights");
        String dropped = entries.get(entries.size() - 1).get("name").asText();
        entries.remove(entries.size() - 1);
        Files.writeString(dir.resolve("model.json"), model.toString());
        SpecException e = assertThrows(SpecException.class, () -> ModelFiles.load(dir));
        assertTrue(
                e.getMessage().contains("weight '" + ModelFiles.normalizeName(dropped) + "' is missing"),
                e.getMessage());
    }

    @Test
    void aWeightListedTwiceIsRefused() throws Exception {
        Path dir = modelFolder();
        ObjectNode model = (ObjectNode) SpecJson.parse(Files.readString(dir.resolve("model.json")), "model.json");
        ArrayNode entries = (ArrayNode) model.get("weightsManifest").get(0).get("weights");
        entries.set(1, entries.get(0).deepCopy());
        Files.writeString(dir.resolve("model.json"), model.toString());
        SpecException e = assertThrows(SpecException.class, () -> ModelFiles.load(dir));
        assertTrue(e.getMessage().contains("is listed twice"), e.getMessage());
    }

    @Test
    void tensorJsonIsHeldToItsCapWhateverItsSize() throws Exception {
        System.setProperty(InputCap.TENSOR.property(), "4096");
        Path t = tmp.resolve("x.json");
        StringBuilder b = new StringBuilder("{\"shape\": [2000], \"data\": [");
        for (int i = 0; i < 2000; i++) {
            b.append(i == 0 ? "" : ",").append("0.5");
        }
        Files.writeString(t, b.append("]}").toString());
        InputTooLargeException e = assertThrows(InputTooLargeException.class, () -> TensorJson.read(t));
        assertTrue(e.getMessage().contains("the tensor JSON file cap of 4096 bytes"), e.getMessage());
        System.clearProperty(InputCap.TENSOR.property());
        assertEquals(2000, TensorJson.read(t).size());
    }

    /** Reads a tensor file in a child JVM and prints its size: {@code java ... TensorReadMain FILE}. */
    public static final class TensorReadMain {
        public static void main(String[] args) throws IOException {
            System.out.println(TensorJson.read(Path.of(args[0])).size());
        }
    }

    @Test
    void aLargeTensorIsReadInLittleMoreThanItsFileAndItsValues() throws Exception {
        Path t = tmp.resolve("x.json");
        int n = 3_000_000;
        try (var w = Files.newBufferedWriter(t)) {
            w.write("{\"data\": [");
            for (int i = 0; i < n; i++) {
                w.write(i == 0 ? "" : ",");
                w.write((i % 7) + ".25");
            }
            w.write("], \"shape\": [3000, 1000]}");
        }
        // 17 MB of JSON and 12 MB of floats fit in 64 MB of heap; a JSON tree of 3 million nodes does not.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        TensorReadMain.class.getName(),
                        t.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.endsWith("3000000"), out);
    }
}
