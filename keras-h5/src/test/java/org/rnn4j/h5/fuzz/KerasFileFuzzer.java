package org.rnn4j.h5.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.rnn4j.api.conformance.OracleCases;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.h5.KerasH5;

/**
 * A seeded, structure-aware mutation fuzzer for the two binary readers of files from strangers:
 * HDF5 (jHDF behind {@link KerasH5}) and {@code .keras} zips. Inputs are the shipped fixtures
 * (keras-h5/src/test/resources/h5) with one to three mutations each:
 * <ul>
 *   <li>HDF5: version-1 B-tree nodes ({@code TREE}: child pointers to the node itself, another node,
 *       a symbol table node, 0, the end of the file or far beyond; the level; the entry count;
 *       sibling pointers), local heaps ({@code HEAP}: data size, free-list offset, data address),
 *       symbol table nodes ({@code SNOD}: symbol count, name heap offsets, object header
 *       addresses), the superblock's root addresses and end-of-file address, any 8-byte value that
 *       looks like an address or a small size, byte flips, truncation and inserted bytes;</li>
 *   <li>zip: local headers, central directory records and the end record (compressed and
 *       uncompressed sizes, header offsets, compression method, flags, name and extra lengths,
 *       entry names), corrupted deflate data, truncation.</li>
 * </ul>
 * Each input is written to a temporary file and read as a user's file would be. The only
 * acceptable outcomes are success, the documented {@link IllegalArgumentException} for a bad file
 * (exit code 2) or the documented {@link IOException} for a runtime failure such as running out of
 * memory (exit code 1, counted apart); anything else, and any input taking more than
 * {@link #SLOW_MS}, is a finding.
 *
 * <p>Run long: {@code java -cp <keras-h5 test classpath> org.rnn4j.h5.fuzz.KerasFileFuzzer 10000 <seed>};
 * {@code -Drnn4j.fuzz.dump=DIR} writes each finding's input there.
 */
public final class KerasFileFuzzer {
    /** An input taking longer than this is a finding (a hang in the making). */
    static final long SLOW_MS = 3_000;

    static final List<String> CASES = List.of(
            "lstm_seq_stack",
            "bidirectional_lstm_concat",
            "gru_reset_after",
            "embedding_lstm_softmax",
            "simple_rnn_stack");

    /** What a run found. */
    public record Result(
            String reader,
            int inputs,
            int accepted,
            int rejected,
            int runtimeFailures,
            List<String> findings,
            List<String> runtimeMessages) {}

    private KerasFileFuzzer() {}

    private interface Target {
        void read(Path file) throws IOException;
    }

    // ------------------------------------------------------------------ HDF5

    public static Result fuzzHdf5(int n, long seed) throws IOException {
        Random rng = new Random(seed);
        List<String> kinds = List.of("legacy.h5", "keras3.weights.h5", "keras2.weights.h5");
        return run("hdf5", n, rng, ".h5", () -> {
            String c = CASES.get(rng.nextInt(CASES.size()));
            String kind = kinds.get(rng.nextInt(kinds.size()));
            byte[] bytes = OracleCases.bytes("h5/" + c + "." + kind);
            int edits = 1 + rng.nextInt(3);
            for (int e = 0; e < edits; e++) {
                bytes = mutateHdf5(bytes, rng);
            }
            ModelSpec spec = OracleCases.model("oracle/cases/" + c).spec();
            Target t = kind.equals("legacy.h5") ? KerasH5::load : f -> KerasH5.readWeights(f, spec);
            return new Input(c + "." + kind, bytes, t);
        });
    }

    static int[] find(byte[] d, String signature) {
        byte[] s = signature.getBytes(StandardCharsets.US_ASCII);
        List<Integer> at = new ArrayList<>();
        outer:
        for (int i = 0; i <= d.length - s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (d[i + j] != s[j]) {
                    continue outer;
                }
            }
            at.add(i);
        }
        return at.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A value for an address or size field: the ones that break readers. */
    static long nasty(byte[] d, int self, Random rng) {
        int[] trees = find(d, "TREE");
        int[] snods = find(d, "SNOD");
        return switch (rng.nextInt(11)) {
            case 0 -> self;
            case 1 -> trees.length > 0 ? trees[rng.nextInt(trees.length)] : 0;
            case 2 -> snods.length > 0 ? snods[rng.nextInt(snods.length)] : 0;
            case 3 -> 0;
            case 4 -> d.length;
            case 5 -> d.length + 1L + rng.nextInt(1 << 20);
            case 6 -> rng.nextInt(Math.max(1, d.length));
            case 7 -> Integer.MAX_VALUE;
            case 8 -> 1L << 32;
            case 9 -> Long.MAX_VALUE;
            default -> -1;
        };
    }

    static byte[] mutateHdf5(byte[] in, Random rng) {
        if (in.length == 0) {
            return in; // truncated to nothing by an earlier edit
        }
        try {
            return mutateHdf5Once(in, rng);
        } catch (IndexOutOfBoundsException e) {
            return in; // a field past the end of an already truncated file: this edit is skipped
        }
    }

    private static byte[] mutateHdf5Once(byte[] in, Random rng) {
        byte[] d = in.clone();
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        int[] trees = find(d, "TREE");
        int[] heaps = find(d, "HEAP");
        int[] snods = find(d, "SNOD");
        switch (rng.nextInt(12)) {
            case 0 -> { // a B-tree child pointer (group nodes: 8-byte keys between 8-byte children)
                if (trees.length > 0) {
                    int t = trees[rng.nextInt(trees.length)];
                    int entries = Math.max(1, b.getShort(t + 6) & 0xffff);
                    int child = t + 24 + 8 + 16 * rng.nextInt(Math.min(entries, 4));
                    if (child + 8 <= d.length) {
                        if (rng.nextBoolean()) {
                            b.put(t + 5, (byte) (1 + rng.nextInt(2)));
                        }
                        b.putLong(child, nasty(d, t, rng));
                    }
                }
            }
            case 1 -> { // B-tree level
                if (trees.length > 0) {
                    b.put(trees[rng.nextInt(trees.length)] + 5, (byte)
                            List.of(0, 1, 2, 3, 255).get(rng.nextInt(5)).intValue());
                }
            }
            case 2 -> { // B-tree entries used
                if (trees.length > 0) {
                    b.putShort(trees[rng.nextInt(trees.length)] + 6, (short)
                            List.of(0, 2, 64, 65535).get(rng.nextInt(4)).intValue());
                }
            }
            case 3 -> { // B-tree siblings
                if (trees.length > 0) {
                    int t = trees[rng.nextInt(trees.length)];
                    b.putLong(t + 8 + 8 * rng.nextInt(2), nasty(d, t, rng));
                }
            }
            case 4 -> { // local heap: data size, free-list offset, data address
                if (heaps.length > 0) {
                    int h = heaps[rng.nextInt(heaps.length)];
                    b.putLong(h + 8 + 8 * rng.nextInt(3), nasty(d, h, rng));
                }
            }
            case 5 -> { // symbol table node: count, or an entry's name offset / object header address
                if (snods.length > 0) {
                    int s = snods[rng.nextInt(snods.length)];
                    if (rng.nextInt(3) == 0) {
                        b.putShort(s + 6, (short)
                                List.of(0, 100, 65535).get(rng.nextInt(3)).intValue());
                    } else {
                        int entry = s + 8 + 40 * rng.nextInt(2);
                        if (entry + 16 <= d.length) {
                            b.putLong(entry + 8 * rng.nextInt(2), nasty(d, s, rng));
                        }
                    }
                }
            }
            case 6 -> { // superblock v0: end-of-file address, root object header, root B-tree, root heap
                int[] fields = {40, 64, 80, 88};
                b.putLong(fields[rng.nextInt(fields.length)], nasty(d, 0, rng));
            }
            case 7, 8 -> { // any 8-byte value that looks like an address (or a small size)
                for (int tries = 0; tries < 64; tries++) {
                    int p = 8 * rng.nextInt(Math.max(1, d.length / 8 - 1));
                    long v = b.getLong(p);
                    if (v > 0 && v < d.length) {
                        b.putLong(p, case7or8(d, p, rng));
                        break;
                    }
                }
            }
            case 9 -> { // byte flips
                for (int i = 0; i < 1 + rng.nextInt(8); i++) {
                    d[rng.nextInt(d.length)] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            case 10 -> {
                return Arrays.copyOf(d, rng.nextInt(d.length));
            }
            default -> {
                int p = rng.nextInt(d.length);
                byte[] extra = new byte[1 + rng.nextInt(64)];
                rng.nextBytes(extra);
                byte[] out = new byte[d.length + extra.length];
                System.arraycopy(d, 0, out, 0, p);
                System.arraycopy(extra, 0, out, p, extra.length);
                System.arraycopy(d, p, out, p + extra.length, d.length - p);
                return out;
            }
        }
        return d;
    }

    private static long case7or8(byte[] d, int p, Random rng) {
        return rng.nextBoolean() ? nasty(d, p, rng) : (long) rng.nextInt(1 << 30);
    }

    // ------------------------------------------------------------------ zip

    public static Result fuzzZip(int n, long seed) throws IOException {
        Random rng = new Random(seed);
        return run("keras zip", n, rng, ".keras", () -> {
            String c = CASES.get(rng.nextInt(CASES.size()));
            byte[] bytes = OracleCases.bytes("h5/" + c + ".keras");
            int edits = 1 + rng.nextInt(3);
            for (int e = 0; e < edits; e++) {
                bytes = mutateZip(bytes, rng);
            }
            return new Input(c + ".keras", bytes, KerasH5::load);
        });
    }

    static long nastySize(byte[] d, Random rng) {
        return switch (rng.nextInt(8)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> d.length;
            case 3 -> 0xFFFFFFFFL;
            case 4 -> 0x7FFFFFFFL;
            case 5 -> 250_000_000L;
            case 6 -> rng.nextInt(Math.max(1, d.length));
            default -> rng.nextInt(1 << 16);
        };
    }

    static byte[] mutateZip(byte[] in, Random rng) {
        if (in.length == 0) {
            return in; // truncated to nothing by an earlier edit
        }
        try {
            return mutateZipOnce(in, rng);
        } catch (IndexOutOfBoundsException e) {
            return in; // a field past the end of an already truncated file: this edit is skipped
        }
    }

    private static byte[] mutateZipOnce(byte[] in, Random rng) {
        byte[] d = in.clone();
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        int[] local = find(d, "PK\3\4");
        int[] central = find(d, "PK\1\2");
        int[] end = find(d, "PK\5\6");
        switch (rng.nextInt(10)) {
            case 0 -> { // local header: compressed size, size, crc
                if (local.length > 0) {
                    int h = local[rng.nextInt(local.length)];
                    b.putInt(h + new int[] {14, 18, 22}[rng.nextInt(3)], (int) nastySize(d, rng));
                }
            }
            case 1 -> { // central directory: compressed size, size, local header offset
                if (central.length > 0) {
                    int h = central[rng.nextInt(central.length)];
                    b.putInt(h + new int[] {20, 24, 42}[rng.nextInt(3)], (int) nastySize(d, rng));
                }
            }
            case 2 -> { // method (stored, deflated, bzip2, unknown) in a local or central header
                int[] hs = rng.nextBoolean() ? local : central;
                if (hs.length > 0) {
                    int h = hs[rng.nextInt(hs.length)];
                    b.putShort(h + (hs == local ? 8 : 10), (short) new int[] {0, 8, 12, 99}[rng.nextInt(4)]);
                }
            }
            case 3 -> { // flags: encrypted, data descriptor
                int[] hs = rng.nextBoolean() ? local : central;
                if (hs.length > 0) {
                    int h = hs[rng.nextInt(hs.length)];
                    b.putShort(h + (hs == local ? 6 : 8), (short) (1 << new int[] {0, 3, 11}[rng.nextInt(3)]));
                }
            }
            case 4 -> { // name and extra lengths
                int[] hs = rng.nextBoolean() ? local : central;
                if (hs.length > 0) {
                    int h = hs[rng.nextInt(hs.length)];
                    int off = hs == local ? 26 + 2 * rng.nextInt(2) : 28 + 2 * rng.nextInt(3);
                    b.putShort(h + off, (short) new int[] {0, 1, 255, 65535}[rng.nextInt(4)]);
                }
            }
            case 5 -> { // entry names: swap, escape, duplicate
                if (local.length > 0) {
                    int h = local[rng.nextInt(local.length)];
                    int len = b.getShort(h + 26) & 0xffff;
                    String name = List.of("config.json", "model.weights.h5", "../x.json", "/abs")
                            .get(rng.nextInt(4));
                    byte[] nb = name.getBytes(StandardCharsets.US_ASCII);
                    if (h + 30 + Math.min(len, nb.length) <= d.length) {
                        System.arraycopy(nb, 0, d, h + 30, Math.min(len, nb.length));
                    }
                }
            }
            case 6 -> { // end record: entry counts, directory size and offset
                if (end.length > 0) {
                    int h = end[end.length - 1];
                    int off = new int[] {8, 10, 12, 16}[rng.nextInt(4)];
                    if (off < 12) {
                        b.putShort(h + off, (short) rng.nextInt(65536));
                    } else {
                        b.putInt(h + off, (int) nastySize(d, rng));
                    }
                }
            }
            case 7 -> { // corrupt compressed data right after a local header
                if (local.length > 0) {
                    int h = local[rng.nextInt(local.length)];
                    int data = h + 30 + (b.getShort(h + 26) & 0xffff) + (b.getShort(h + 28) & 0xffff);
                    for (int i = 0; i < 1 + rng.nextInt(8) && data < d.length; i++) {
                        d[Math.min(d.length - 1, data + rng.nextInt(64))] ^= (byte) (1 << rng.nextInt(8));
                    }
                }
            }
            case 8 -> {
                return Arrays.copyOf(d, rng.nextInt(d.length));
            }
            default -> {
                for (int i = 0; i < 1 + rng.nextInt(8); i++) {
                    d[rng.nextInt(d.length)] ^= (byte) (1 << rng.nextInt(8));
                }
            }
        }
        return d;
    }

    // ------------------------------------------------------------------ the loop

    private record Input(String origin, byte[] bytes, Target target) {}

    private interface InputMaker {
        Input make() throws IOException;
    }

    private static Result run(String reader, int n, Random rng, String suffix, InputMaker inputs) throws IOException {
        Path dir = Files.createTempDirectory("rnn4j-fuzz");
        Path file = dir.resolve("input" + suffix);
        int accepted = 0;
        int rejected = 0;
        int runtime = 0;
        List<String> findings = new ArrayList<>();
        List<String> runtimeMessages = new ArrayList<>();
        try {
            String dump = System.getProperty("rnn4j.fuzz.dump");
            for (int i = 0; i < n; i++) {
                int before = findings.size();
                Input in = inputs.make();
                Files.write(file, in.bytes());
                long start = System.nanoTime();
                try {
                    in.target().read(file);
                    accepted++;
                } catch (IllegalArgumentException expected) {
                    rejected++;
                    if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                        findings.add(reader + " #" + i + " (" + in.origin() + "): rejection without a message");
                    } else if (expected.getMessage().contains("\n")) {
                        findings.add(reader + " #" + i + " (" + in.origin() + "): a message of several lines: "
                                + expected.getMessage());
                    }
                } catch (IOException documented) {
                    runtime++;
                    if (runtimeMessages.size() < 10) {
                        runtimeMessages.add(reader + " #" + i + " (" + in.origin() + "): " + documented.getMessage());
                    }
                } catch (RuntimeException | Error e) {
                    findings.add(reader + " #" + i + " (" + in.origin() + "): " + e);
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (ms > SLOW_MS) {
                    findings.add(reader + " #" + i + " (" + in.origin() + "): took " + ms + " ms");
                }
                if (dump != null && (findings.size() > before || ms > SLOW_MS)) {
                    Files.createDirectories(Path.of(dump));
                    Files.write(Path.of(dump, reader.replace(' ', '-') + "-" + i + suffix), in.bytes());
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
        return new Result(reader, n, accepted, rejected, runtime, findings, runtimeMessages);
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 20261205L;
        for (Result r : List.of(fuzzHdf5(n, seed), fuzzZip(n, seed))) {
            System.out.printf(
                    "%-10s inputs=%d accepted=%d rejected=%d runtime-failures=%d findings=%d%n",
                    r.reader(),
                    r.inputs(),
                    r.accepted(),
                    r.rejected(),
                    r.runtimeFailures(),
                    r.findings().size());
            r.findings().stream().limit(30).forEach(f -> System.out.println("  finding: " + f));
            r.runtimeMessages().forEach(f -> System.out.println("  runtime failure: " + f));
        }
    }
}
