package org.rnn4j.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.rnn4j.api.conformance.OracleCases;
import org.rnn4j.api.json.SpecJson;

/**
 * The reliability run (not a test): makes the report's crafted and oversized inputs at full
 * size in a temporary folder (sparse files where possible) and runs the real CLI on each in a
 * child JVM with the launcher's heap (-Xmx3g), printing one Markdown row per case: exit code,
 * seconds, peak resident memory and the first line of stderr.
 * <pre>java -cp <integration-tests test classpath> org.rnn4j.it.CraftedInputsRun</pre>
 */
public final class CraftedInputsRun {
    private static final String CASE = "oracle/cases/lstm_seq_stack";

    private CraftedInputsRun() {}

    private static Path h5Fixture(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("keras-h5/src/test/resources/h5").resolve(name);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("run from the repository: keras-h5 fixture " + name + " not found");
    }

    private static void bomb(Path p, int mib, boolean lie) throws Exception {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            z.putNextEntry(new ZipEntry("config.json"));
            z.write(OracleCases.bytes(CASE + "/model.json"));
            z.putNextEntry(new ZipEntry("model.weights.h5"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < mib; i++) {
                z.write(zeros);
            }
        }
        if (lie) {
            byte[] d = Files.readAllBytes(p);
            ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
            String s = new String(d, StandardCharsets.ISO_8859_1);
            for (int at = s.indexOf("PK\1\2"); at >= 0; at = s.indexOf("PK\1\2", at + 4)) {
                if (s.startsWith("model.weights.h5", at + 46)) {
                    b.putInt(at + 20, (int) (Files.size(p) * 4)); // claims 4x the whole archive as compressed size
                }
            }
            Files.write(p, d);
        }
    }

    private static void row(String name, Path dir, List<String> args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path time = dir.resolve("time.txt");
        Path err = dir.resolve("err.txt");
        List<String> cmd = new ArrayList<>(List.of(
                "/usr/bin/time",
                "-o",
                time.toString(),
                "-f",
                "%e %M",
                java,
                "-Xmx3g",
                "-XX:+UseSerialGC",
                "-cp",
                Fixtures.testClasspath(),
                "org.rnn4j.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
        Process p = pb.start();
        boolean done = p.waitFor(600, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        String line = Files.readAllLines(err).stream()
                .filter(l -> l.startsWith("rnn4j:") || l.startsWith("Exception") || l.contains("Error"))
                .findFirst()
                .orElse("(no error line)");
        // time(1) writes "Command exited with non-zero status N" first when the exit code is not 0.
        List<String> timeLines = done ? Files.readAllLines(time) : List.of();
        String[] t = done ? timeLines.get(timeLines.size() - 1).strip().split("\\s+") : new String[] {"> 600", "?"};
        String rss = t[1].equals("?") ? "?" : String.format(Locale.ROOT, "%.0f", Long.parseLong(t[1]) / 1024.0);
        System.out.printf(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s |%n",
                name,
                done ? Integer.toString(p.exitValue()) : "killed",
                t[0],
                rss,
                line.replace(dir.toString(), "$TMP").replace("|", "\\|"));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("rnn4j-crafted");
        Path input = dir.resolve("input.json");
        Files.write(input, OracleCases.bytes(CASE + "/input.json"));
        Path model = Files.createDirectories(dir.resolve("model"));
        OracleCases.copyCase(CASE, List.of("model.json", "weights.bin"), model);
        System.out.println("| case | exit | seconds | peak RSS MB | stderr |");
        System.out.println("|---|---|---|---|---|");

        byte[] h5 = Files.readAllBytes(h5Fixture("lstm_seq_stack.legacy.h5"));
        int tree = new String(h5, StandardCharsets.ISO_8859_1).indexOf("TREE");
        ByteBuffer.wrap(h5)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(tree + 5, (byte) 1)
                .putLong(tree + 32, tree);
        Files.write(dir.resolve("loop.h5"), h5);
        row("HDF5 B-tree pointing to itself (" + h5.length + " bytes)", dir, List.of("summary", dir + "/loop.h5"));

        bomb(dir.resolve("honest.keras"), 2048, false);
        row(
                "honest zip bomb, 2 GiB of zeros (" + Files.size(dir.resolve("honest.keras")) + " bytes)",
                dir,
                List.of("summary", dir + "/honest.keras"));
        bomb(dir.resolve("lying.keras"), 1024, true);
        row(
                "1 GiB bomb, central directory lying about its compressed size",
                dir,
                List.of("summary", dir + "/lying.keras"));

        Path extra = Files.createDirectories(dir.resolve("extra"));
        OracleCases.copyCase(CASE, List.of("model.json", "weights.bin"), extra);
        ObjectNode m = (ObjectNode) SpecJson.parse(Files.readString(extra.resolve("model.json")), "model.json");
        ObjectNode g = ((ArrayNode) m.get("weightsManifest")).addObject();
        g.putArray("paths").add("huge.bin");
        g.putArray("weights")
                .addObject()
                .put("name", "intruder/kernel")
                .put("dtype", "float32")
                .putArray("shape")
                .add(500_000_000);
        Files.writeString(extra.resolve("model.json"), m.toString());
        try (RandomAccessFile f = new RandomAccessFile(extra.resolve("huge.bin").toFile(), "rw")) {
            f.setLength(2_000_000_000L);
        }
        row(
                "extra manifest group of 500,000,000 floats over a sparse 2 GB file",
                dir,
                List.of("predict", "--model", extra.toString(), "--input", input.toString()));

        row("model.json is /dev/zero", dir, List.of("predict", "--model", "/dev/zero", "--input", input.toString()));
        Path fifo = dir.resolve("fifo.json");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        row("--input is a FIFO", dir, List.of("predict", "--model", model.toString(), "--input", fifo.toString()));

        Path text = dir.resolve("corpus.txt");
        try (RandomAccessFile f = new RandomAccessFile(text.toFile(), "rw")) {
            f.write("In the beginning God created the heaven and the earth. "
                    .repeat(200)
                    .getBytes(StandardCharsets.UTF_8));
            f.setLength(2_500_000_000L);
        }
        row(
                "2.5 GB text corpus, --max-chars 5000, 1 epoch",
                dir,
                List.of(
                        "train",
                        "--zoo",
                        "char-embedding-lstm",
                        "--data",
                        text.toString(),
                        "--max-chars",
                        "5000",
                        "--epochs",
                        "1",
                        "--out",
                        dir + "/text-run",
                        "--no-progress"));
        row(
                "2.5 GB text corpus, all of it",
                dir,
                List.of(
                        "train",
                        "--zoo",
                        "char-embedding-lstm",
                        "--data",
                        text.toString(),
                        "--max-chars",
                        "0",
                        "--out",
                        dir + "/text-run-all",
                        "--no-progress"));

        Path csv = dir.resolve("big.csv");
        try (Writer w = Files.newBufferedWriter(csv)) {
            w.write("Date,Open,High,Low,Close,Adj Close,Volume\n");
            java.time.LocalDate d = java.time.LocalDate.of(1000, 1, 1);
            for (long bytes = 0; bytes < 200L << 20; d = d.plusDays(1)) {
                String line = d + ",100.123456,101.654321,99.111111,100.222222,100.222222,1000000\n";
                w.write(line);
                bytes += line.length();
            }
        }
        row(
                "200 MB CSV",
                dir,
                List.of("train", "--zoo", "stock-simple-rnn", "--data", csv.toString(), "--out", dir + "/csv-run"));

        for (int mb : new int[] {70, 400}) {
            Path t = dir.resolve("t" + mb + ".json");
            try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(t), 1 << 20)) {
                o.write("{\"shape\": [1, 7, 3], \"data\": [".getBytes(StandardCharsets.US_ASCII));
                byte[] v = "0.123456,".getBytes(StandardCharsets.US_ASCII);
                for (long n = 0; n < ((long) mb << 20) / v.length; n++) {
                    o.write(v);
                }
                o.write("0]}".getBytes(StandardCharsets.US_ASCII));
            }
            row(mb + " MB tensor JSON", dir, List.of("predict", "--model", model.toString(), "--input", t.toString()));
            Files.delete(t);
        }

        row(
                "generate --length 1000000000",
                dir,
                List.of("generate", "--zoo", "char-onehot-lstm", "--length", "1000000000"));
        row(
                "forecast --steps 1000000000",
                dir,
                List.of("forecast", "--zoo", "stock-simple-rnn", "--steps", "1000000000"));
        row("--out under /proc", dir, List.of("train", "--zoo", "stock-simple-rnn", "--out", "/proc/run"));
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        row(
                "--out below a file",
                dir,
                List.of(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--out",
                        file.resolve("run").toString()));
        row(
                "predict --output is a directory",
                dir,
                List.of(
                        "predict",
                        "--model",
                        model.toString(),
                        "--input",
                        input.toString(),
                        "--output",
                        dir.toString()));
    }
}
