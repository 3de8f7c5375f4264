package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.conformance.OracleCases;
import org.rnn4j.api.json.SpecJson;

/**
 * The crafted files of the reliability report, made here, over the real CLI: each ends fast in
 * exit 2 and one line, never a stack trace (the HDF5 loop used to print 1,025 lines; the bombs
 * and special files ran out of memory or blocked).
 */
class CraftedFilesIT {
    private static final String CASE = "oracle/cases/lstm_seq_stack";

    @TempDir
    Path tmp;

    /** The keras-h5 module's fixtures, found from the module directory the tests run in. */
    private static Path h5Fixture(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("keras-h5/src/test/resources/h5").resolve(name);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("keras-h5 fixture " + name + " not found");
    }

    private static byte[] selfReferencingBTree(byte[] h5) {
        byte[] d = h5.clone();
        int tree = new String(d, StandardCharsets.ISO_8859_1).indexOf("TREE");
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        b.put(tree + 5, (byte) 1);
        b.putLong(tree + 32, tree);
        return d;
    }

    private Path input() throws Exception {
        Path p = tmp.resolve("input.json");
        Files.write(p, OracleCases.bytes(CASE + "/input.json"));
        return p;
    }

    private static Cli fast(String... args) {
        long start = System.nanoTime();
        Cli r = Cli.run(args);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 15_000, String.join(" ", args) + " took " + ms + " ms");
        return r;
    }

    @Test
    void anHdf5BTreeLoopIsOneLine() throws Exception {
        Path loop = tmp.resolve("loop.h5");
        Files.write(loop, selfReferencingBTree(Files.readAllBytes(h5Fixture("lstm_seq_stack.legacy.h5"))));
        fast("summary", loop.toString()).badInput(loop + " (HDF5) is not readable: its structure nests too deeply");

        Path weights = tmp.resolve("loop.weights.h5");
        Files.write(weights, selfReferencingBTree(Files.readAllBytes(h5Fixture("lstm_seq_stack.keras3.weights.h5"))));
        Path model = tmp.resolve("architecture.json");
        Files.writeString(
                model,
                OracleCases.json(CASE + "/model.json").get("modelTopology").toString());
        fast("predict", "--model", model.toString(), "--weights", weights.toString(), "--input", input().toString())
                .badInput(weights + " (HDF5) is not readable: its structure nests too deeply");
    }

    @Test
    void zipBombsHonestOrLyingAreOneLine() throws Exception {
        Path bomb = tmp.resolve("bomb.keras");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bomb))) {
            z.putNextEntry(new ZipEntry("config.json"));
            z.write(OracleCases.bytes(CASE + "/model.json"));
            z.putNextEntry(new ZipEntry("model.weights.h5"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                z.write(zeros);
            }
        }
        fast("summary", bomb.toString()).badInput("archive entry model.weights.h5 expands more than 200x");
    }

    @Test
    void specialFilesAreRefusedWithoutBlocking() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        fast("predict", "--model", "/dev/zero", "--input", input().toString())
                .badInput("/dev/zero is not a regular file (a device, FIFO or socket)");
        Path fifo = tmp.resolve("x.json");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo is not available");
        Path model = tmp.resolve("m");
        OracleCases.copyCase(CASE, List.of("model.json", "weights.bin"), Files.createDirectories(model));
        fast("predict", "--model", model.toString(), "--input", fifo.toString())
                .badInput(fifo + " is not a regular file (a device, FIFO or socket)");
    }

    @Test
    void anExtraManifestGroupOverASparseFileIsOneLine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        OracleCases.copyCase(CASE, List.of("model.json", "weights.bin"), dir);
        ObjectNode m = (ObjectNode) SpecJson.parse(Files.readString(dir.resolve("model.json")), "model.json");
        ObjectNode extra = ((ArrayNode) m.get("weightsManifest")).addObject();
        extra.putArray("paths").add("huge.bin");
        ObjectNode w = extra.putArray("weights").addObject();
        w.put("name", "intruder/kernel")
                .put("dtype", "float32")
                .putArray("shape")
                .add(500_000_000);
        Files.writeString(dir.resolve("model.json"), m.toString());
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("huge.bin").toFile(), "rw")) {
            f.setLength(2_000_000_000L);
        }
        fast("predict", "--model", dir.toString(), "--input", input().toString())
                .badInput("weight 'intruder/kernel' does not belong to the model");
    }

    @Test
    void aTensorAboveItsCapIsOneLine() throws Exception {
        System.setProperty("rnn4j.maxTensorBytes", "64");
        try {
            Path model = Files.createDirectories(tmp.resolve("m"));
            OracleCases.copyCase(CASE, List.of("model.json", "weights.bin"), model);
            fast("predict", "--model", model.toString(), "--input", input().toString())
                    .badInput(input() + " is larger than the tensor JSON file cap of 64 bytes; raise"
                            + " -Drnn4j.maxTensorBytes / RNN4J_MAX_TENSOR_BYTES");
        } finally {
            System.clearProperty("rnn4j.maxTensorBytes");
        }
    }

    @Test
    void silentlyAcceptedFieldsAreRefused() throws Exception {
        Path dup = tmp.resolve("dup.json");
        Files.writeString(
                dup,
                "{\"format\": \"rnn4j.spec/1\", \"input\": {\"shape\": [5, 1]},"
                        + " \"layers\": [{\"type\": \"LSTM\", \"units\": 4, \"units\": 4000}]}");
        fast("summary", dup.toString()).badInput("$.layers[0]: " + dup + ": duplicate key 'units'");

        ObjectNode bidi = (ObjectNode) OracleCases.json("oracle/cases/bidirectional_lstm_concat/model.json");
        ObjectNode wrapper = (ObjectNode)
                bidi.get("modelTopology").get("config").get("layers").get(0).get("config");
        ObjectNode backward = wrapper.get("layer").deepCopy();
        ((ObjectNode) backward.get("config")).put("go_backwards", true).put("units", 8);
        wrapper.set("backward_layer", backward);
        Path file = tmp.resolve("bidi.json");
        Files.writeString(file, bidi.toString());
        fast("summary", file.toString()).badInput("Bidirectional's backward_layer has units");
    }
}
