package org.rnn4j.api.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.rnn4j.api.json.KerasJson;
import org.rnn4j.api.json.KerasTopology;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;

/**
 * Reads and writes models on disk. A saved model is a directory with a TensorFlow.js layers-model
 * {@code model.json} (Keras topology + {@code weightsManifest}), its little-endian float32
 * {@code weights.bin}, and {@code rnn4j.json} (the rnn4j spec, training state, history and fitted
 * preprocessing). Saves are atomic: the new directory is written and fsynced beside the old one,
 * then swapped in by renames; a reader that finds only the backup (a save killed between the two
 * renames) reads the backup.
 *
 * <p>Files from strangers: the manifest's paths must stay inside the model's folder (no
 * {@code ..}, no absolute paths, no links out), byte counts are checked against the shapes before
 * anything is read, every weight must be finite, and the model's size is checked against
 * {@link ResourceLimits} before allocating.
 */
public final class ModelFiles {
    public static final String MODEL_JSON = "model.json";
    public static final String WEIGHTS_BIN = "weights.bin";
    public static final String RNN4J_JSON = "rnn4j.json";
    public static final String EXTRAS_FORMAT = "rnn4j.model/1";
    private static final ObjectMapper MAPPER = SpecJson.mapper();
    private static final long MAX_JSON_BYTES = 64L << 20;

    private ModelFiles() {}

    /**
     * Loads a model directory, a {@code model.json} (TensorFlow.js, with its weights), a Keras
     * architecture JSON or an rnn4j spec (both without weights).
     */
    public static LoadedModel load(Path path) throws IOException {
        return load(path, true);
    }

    /** The architecture (and rnn4j extras) only: weight files are neither required nor read. */
    public static LoadedModel loadSpec(Path path) throws IOException {
        return load(path, false);
    }

    private static LoadedModel load(Path path, boolean withWeights) throws IOException {
        Path file = path;
        if (Files.isDirectory(path)) {
            file = path.resolve(MODEL_JSON);
            if (!Files.exists(file)) {
                throw new SpecException(
                        "",
                        path + " is not a model directory: it has no " + MODEL_JSON
                                + "; give a directory written by 'rnn4j train --out DIR' or a model.json file");
            }
        } else if (!Files.exists(path)) {
            Path backup = backupOf(path);
            if (Files.isDirectory(backup)) {
                // A save was killed between its two renames: the previous save is intact under the backup name.
                return load(backup, withWeights);
            }
            throw new NoSuchFileException(path.toString(), null, "no such file or directory");
        }
        String text = readJson(file);
        JsonNode root = SpecJson.parse(text, file.toString());
        Path dir = file.toAbsolutePath().getParent();
        JsonNode extras = null;
        Path extrasFile = dir.resolve(RNN4J_JSON);
        if (file.getFileName().toString().equals(MODEL_JSON) && Files.isRegularFile(extrasFile)) {
            extras = SpecJson.parse(readJson(extrasFile), extrasFile.toString());
            if (!EXTRAS_FORMAT.equals(extras.path("format").asText())) {
                throw new SpecException(
                        "$.format",
                        extrasFile + " is not an rnn4j model file (format '"
                                + extras.path("format").asText() + "', expected " + EXTRAS_FORMAT + ")");
            }
        }
        ModelSpec spec;
        if (extras != null && extras.has("spec")) {
            spec = SpecJson.read(extras.get("spec"));
        } else if (KerasJson.isKeras(root)) {
            spec = KerasJson.read(root);
        } else {
            spec = SpecJson.read(root);
        }
        ResourceLimits.check(spec);
        Map<String, Tensor> weights = withWeights && root.has("weightsManifest")
                ? readWeights(root.get("weightsManifest"), dir, spec, file)
                : Map.of();
        return new LoadedModel(spec, weights, extras, file);
    }

    private static String readJson(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_JSON_BYTES) {
            throw new SpecException(
                    "",
                    file + " is " + size + " bytes; JSON model files above " + MAX_JSON_BYTES + " bytes are refused");
        }
        byte[] bytes = Files.readAllBytes(file);
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new SpecException("", file + " is not UTF-8 text; JSON files must be UTF-8");
        }
    }

    /** Normalises Keras / TF.js weight names to rnn4j's ({@code lstm/lstm_cell/kernel:0} -> {@code lstm/kernel}). */
    static String normalizeName(String name) {
        String n = name.endsWith(":0") ? name.substring(0, name.length() - 2) : name;
        List<String> parts = new ArrayList<>(Arrays.asList(n.split("/")));
        parts.removeIf(p -> p.endsWith("_cell") || p.matches("(simple_rnn|lstm|gru)_cell_\\d+"));
        return String.join("/", parts);
    }

    private static Map<String, Tensor> readWeights(JsonNode manifest, Path dir, ModelSpec spec, Path source)
            throws IOException {
        if (!manifest.isArray()) {
            throw new SpecException("$.weightsManifest", source + ": must be an array of {paths, weights} groups");
        }
        Map<String, WeightSpec> expected = new LinkedHashMap<>();
        spec.weights().forEach(w -> expected.put(w.name(), w));
        Map<String, Tensor> out = new LinkedHashMap<>();
        Path realDir = dir.toRealPath();
        for (int g = 0; g < manifest.size(); g++) {
            JsonNode group = manifest.get(g);
            String gp = "$.weightsManifest[" + g + "]";
            JsonNode paths = group.get("paths");
            JsonNode entries = group.get("weights");
            if (paths == null || !paths.isArray() || entries == null || !entries.isArray()) {
                throw new SpecException(gp, source + ": each manifest group needs 'paths' and 'weights' arrays");
            }
            long needed = 0;
            for (int w = 0; w < entries.size(); w++) {
                JsonNode e = entries.get(w);
                String wp = gp + ".weights[" + w + "]";
                String dtype = e.path("dtype").asText("float32");
                if (!"float32".equals(dtype)) {
                    throw new SpecException(
                            wp + ".dtype",
                            source + ": weight dtype '" + dtype + "' is not supported; rnn4j reads float32 weights");
                }
                if (e.has("quantization")) {
                    throw new SpecException(
                            wp + ".quantization",
                            source + ": quantized weights are not supported; save the model unquantized");
                }
                long n = 1;
                JsonNode shape = e.get("shape");
                if (shape == null || !shape.isArray()) {
                    throw new SpecException(wp + ".shape", source + ": is required");
                }
                for (JsonNode d : shape) {
                    if (!d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                        throw new SpecException(
                                wp + ".shape", source + ": dimensions must be integers in [0, 2^31), got " + shape);
                    }
                    n *= d.asLong();
                    if (n > Integer.MAX_VALUE) {
                        throw new SpecException(
                                wp + ".shape", source + ": shape " + shape + " holds more than 2^31 values");
                    }
                }
                needed += n * 4;
                if (needed > Integer.MAX_VALUE - 8) {
                    throw new SpecException(
                            gp, source + ": the weights of one manifest group exceed 2 GiB; rnn4j refuses them");
                }
            }
            List<Path> files = new ArrayList<>();
            long available = 0;
            for (int p = 0; p < paths.size(); p++) {
                Path f = confined(realDir, paths.get(p).asText(""), gp + ".paths[" + p + "]", source);
                files.add(f);
                available += Files.size(f);
            }
            if (available != needed) {
                throw new SpecException(
                        gp,
                        source + ": the weight files hold " + available + " bytes but the manifest's shapes need "
                                + needed + "; the files are truncated or do not belong to this model.json");
            }
            ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(needed)).order(ByteOrder.LITTLE_ENDIAN);
            for (Path f : files) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    while (ch.read(all) > 0) {
                        // keep reading
                    }
                }
            }
            all.flip();
            for (int w = 0; w < entries.size(); w++) {
                JsonNode e = entries.get(w);
                String wp = gp + ".weights[" + w + "]";
                String name = normalizeName(e.path("name").asText(""));
                int[] shape = new int[e.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = e.get("shape").get(i).asInt();
                }
                float[] values = new float[Math.toIntExact(Tensor.size(shape))];
                all.asFloatBuffer().get(values);
                all.position(all.position() + values.length * 4);
                WeightSpec ws = expected.get(name);
                if (ws == null) {
                    throw new SpecException(
                            wp + ".name",
                            source + ": weight '" + e.path("name").asText() + "' does not belong to the model;"
                                    + " expected " + expected.keySet());
                }
                if (!Arrays.equals(ws.shapeArray(), shape)) {
                    throw new SpecException(
                            wp + ".shape",
                            source + ": weight '" + name + "' has shape " + Arrays.toString(shape)
                                    + " but the architecture needs " + ws.shape());
                }
                for (int i = 0; i < values.length; i++) {
                    if (!Float.isFinite(values[i])) {
                        throw new SpecException(
                                wp,
                                source + ": weight '" + name + "' holds " + values[i] + " at index " + i
                                        + "; the file is corrupt or was saved from a diverged training run");
                    }
                }
                out.put(name, Tensor.wrap(values, shape));
            }
        }
        for (String name : expected.keySet()) {
            if (!out.containsKey(name)) {
                throw new SpecException(
                        "$.weightsManifest", source + ": weight '" + name + "' is missing from the manifest");
            }
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        expected.keySet().forEach(k -> ordered.put(k, out.get(k)));
        return ordered;
    }

    /** Resolves a manifest path, refusing anything that leaves the model's folder. */
    private static Path confined(Path realDir, String rel, String jsonPath, Path source) throws IOException {
        if (rel.isEmpty()
                || rel.startsWith("/")
                || rel.startsWith("\\")
                || rel.contains("..")
                || rel.contains(":")
                || rel.contains("\0")) {
            throw new SpecException(
                    jsonPath,
                    source + ": weight path '" + rel + "' must be a plain file name inside the model folder"
                            + " (no '..', no absolute paths)");
        }
        Path p = realDir.resolve(rel).normalize();
        if (!p.startsWith(realDir)) {
            throw new SpecException(jsonPath, source + ": weight path '" + rel + "' leaves the model folder");
        }
        if (!Files.exists(p)) {
            throw new SpecException(
                    jsonPath, source + ": weight file '" + rel + "' does not exist next to the model.json");
        }
        if (!p.toRealPath().startsWith(realDir)) {
            throw new SpecException(
                    jsonPath, source + ": weight file '" + rel + "' is a link that leaves the model folder");
        }
        if (!Files.isRegularFile(p)) {
            throw new SpecException(jsonPath, source + ": weight path '" + rel + "' is not a regular file");
        }
        return p;
    }

    // ------------------------------------------------------------------ saving

    /**
     * Saves atomically into {@code dir}: the model files are written and fsynced in a sibling
     * temporary directory, then swapped in.
     *
     * @param extras extra fields for {@code rnn4j.json} (history, preprocessing, training state); may be null
     */
    public static void save(Path dir, ModelSpec spec, Map<String, Tensor> weights, ObjectNode extras)
            throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.createDirectory(tmp);
        try {
            writeFiles(tmp, spec, weights, extras);
            fsyncDir(tmp);
            swapIn(tmp, target);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private static void writeFiles(Path dir, ModelSpec spec, Map<String, Tensor> weights, ObjectNode extras)
            throws IOException {
        ObjectNode model = MAPPER.createObjectNode();
        model.put("format", "layers-model");
        model.put("generatedBy", "rnn4j");
        model.putNull("convertedBy");
        model.set("modelTopology", KerasTopology.toJson(spec));
        ArrayNode manifest = model.putArray("weightsManifest");
        ObjectNode group = manifest.addObject();
        group.putArray("paths").add(WEIGHTS_BIN);
        ArrayNode entries = group.putArray("weights");
        long bytes = 0;
        for (WeightSpec w : spec.weights()) {
            Tensor t = weights.get(w.name());
            if (t == null) {
                throw new IllegalArgumentException("cannot save: weight '" + w.name() + "' has no value");
            }
            ObjectNode e = entries.addObject();
            e.put("name", w.name());
            ArrayNode shape = e.putArray("shape");
            w.shape().forEach(shape::add);
            e.put("dtype", "float32");
            bytes += t.size() * 4L;
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
        for (WeightSpec w : spec.weights()) {
            for (float f : weights.get(w.name()).floatView()) {
                buf.putFloat(f);
            }
        }
        buf.flip();
        writeSynced(dir.resolve(WEIGHTS_BIN), buf);
        writeSynced(dir.resolve(MODEL_JSON), ByteBuffer.wrap(MAPPER.writeValueAsBytes(model)));
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("format", EXTRAS_FORMAT);
        doc.set("spec", SpecJson.toJson(spec));
        if (extras != null) {
            extras.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("format") && !f.getKey().equals("spec")) {
                    doc.set(f.getKey(), f.getValue());
                }
            });
        }
        writeSynced(dir.resolve(RNN4J_JSON), ByteBuffer.wrap(MAPPER.writeValueAsBytes(doc)));
    }

    private static void writeSynced(Path file, ByteBuffer data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (data.hasRemaining()) {
                ch.write(data);
            }
            ch.force(true);
        }
    }

    /** Writes a small file atomically (temp file, fsync, rename), e.g. history.json in a run directory. */
    public static void writeAtomically(Path file, byte[] data) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.getParent().resolve("." + abs.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            writeSynced(tmp, ByteBuffer.wrap(data));
            move(tmp, abs);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    static Path backupOf(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        return abs.getParent().resolve("." + abs.getFileName() + ".previous");
    }

    private static void swapIn(Path tmp, Path target) throws IOException {
        Path backup = backupOf(target);
        deleteTree(backup);
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)
                    || (!Files.exists(target.resolve(MODEL_JSON)) && hasForeignEntries(target))) {
                throw new IOException("refusing to replace " + target
                        + ": it exists and is not an rnn4j model directory;" + " choose an empty or new output folder");
            }
            move(target, backup);
        }
        move(tmp, target);
        deleteTree(backup);
        fsyncDir(target.getParent());
    }

    /** Anything but a training checkpoint folder: a run folder holds only that before its first save. */
    private static boolean hasForeignEntries(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> !(p.getFileName().toString().equals("checkpoint") && Files.isDirectory(p)));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Same folder, so this only happens on exotic file systems; a plain rename is the best left.
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open directories for sync; the files themselves are already synced.
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
