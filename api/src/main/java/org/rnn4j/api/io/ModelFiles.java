package org.rnn4j.api.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.rnn4j.api.input.BoundedInput;
import org.rnn4j.api.input.ForeignReader;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.api.input.InputTooLargeException;
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
    /** The checkpoint folder inside a run folder. */
    public static final String CHECKPOINT = "checkpoint";

    private static final ObjectMapper MAPPER = SpecJson.mapper();

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
        JsonNode root = readJson(file);
        Path dir = file.toAbsolutePath().getParent();
        JsonNode extras = null;
        Path extrasFile = dir.resolve(RNN4J_JSON);
        if (file.getFileName().toString().equals(MODEL_JSON) && Files.exists(extrasFile)) {
            extras = readJson(extrasFile);
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

    /** A JSON file within {@link InputCap#JSON}, parsed by Jackson through {@link ForeignReader}. */
    private static JsonNode readJson(Path file) throws IOException {
        String text;
        try {
            text = BoundedInput.readUtf8(file, InputCap.JSON);
        } catch (InputTooLargeException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw new SpecException("", file + " is not UTF-8 text; JSON files must be UTF-8");
            }
            throw e;
        }
        return ForeignReader.run(file.toString(), () -> SpecJson.parse(text, file.toString()));
    }

    /** Normalises Keras / TF.js weight names to rnn4j's ({@code lstm/lstm_cell/kernel:0} -> {@code lstm/kernel}). */
    static String normalizeName(String name) {
        String n = name.endsWith(":0") ? name.substring(0, name.length() - 2) : name;
        List<String> parts = new ArrayList<>(Arrays.asList(n.split("/")));
        parts.removeIf(p -> p.endsWith("_cell") || p.matches("(simple_rnn|lstm|gru)_cell_\\d+"));
        return String.join("/", parts);
    }

    /** One manifest entry, checked against the architecture. */
    private record Entry(String name, String path, int[] shape, long offset) {}

    /**
     * Reads the weights in three steps so that a file from a stranger cannot make rnn4j allocate
     * what the model does not need: every manifest entry is first matched against the
     * architecture's names and shapes (extra, missing and repeated names refused), then the weight
     * files are checked to hold exactly the bytes the shapes need, and only then is anything
     * allocated and read.
     */
    private static Map<String, Tensor> readWeights(JsonNode manifest, Path dir, ModelSpec spec, Path source)
            throws IOException {
        if (!manifest.isArray()) {
            throw new SpecException("$.weightsManifest", source + ": must be an array of {paths, weights} groups");
        }
        Map<String, WeightSpec> expected = new LinkedHashMap<>();
        spec.weights().forEach(w -> expected.put(w.name(), w));
        Map<String, Entry> found = new LinkedHashMap<>();
        List<List<Entry>> groups = new ArrayList<>();
        List<List<Path>> groupFiles = new ArrayList<>();
        Path realDir = dir.toRealPath();
        for (int g = 0; g < manifest.size(); g++) {
            JsonNode group = manifest.get(g);
            String gp = "$.weightsManifest[" + g + "]";
            JsonNode paths = group.get("paths");
            JsonNode entries = group.get("weights");
            if (paths == null || !paths.isArray() || entries == null || !entries.isArray()) {
                throw new SpecException(gp, source + ": each manifest group needs 'paths' and 'weights' arrays");
            }
            List<Entry> list = new ArrayList<>();
            long needed = 0;
            for (int w = 0; w < entries.size(); w++) {
                Entry e = entry(entries.get(w), gp + ".weights[" + w + "]", expected, found, source, needed);
                list.add(e);
                needed += Tensor.size(e.shape()) * 4;
            }
            groups.add(list);
        }
        for (String name : expected.keySet()) {
            if (!found.containsKey(name)) {
                throw new SpecException(
                        "$.weightsManifest", source + ": weight '" + name + "' is missing from the manifest");
            }
        }
        for (int g = 0; g < manifest.size(); g++) {
            String gp = "$.weightsManifest[" + g + "]";
            JsonNode paths = manifest.get(g).get("paths");
            List<Path> files = new ArrayList<>();
            long available = 0;
            for (int p = 0; p < paths.size(); p++) {
                Path f = confined(realDir, paths.get(p).asText(""), gp + ".paths[" + p + "]", source);
                files.add(f);
                available += Files.size(f);
            }
            groupFiles.add(files);
            long needed = 0;
            for (Entry e : groups.get(g)) {
                needed += Tensor.size(e.shape()) * 4;
            }
            if (available != needed) {
                throw new SpecException(
                        gp,
                        source + ": the weight files hold " + available + " bytes but the manifest's shapes need "
                                + needed + "; the files are truncated or do not belong to this model.json");
            }
        }
        // Every name and shape matches the architecture, so what is allocated below is the model's own size.
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            ByteBuffer all = readGroup(groupFiles.get(g), groups.get(g), source);
            for (Entry e : groups.get(g)) {
                float[] values = new float[Math.toIntExact(Tensor.size(e.shape()))];
                all.position(Math.toIntExact(e.offset()));
                all.asFloatBuffer().get(values);
                for (int i = 0; i < values.length; i++) {
                    if (!Float.isFinite(values[i])) {
                        throw new SpecException(
                                e.path(),
                                source + ": weight '" + e.name() + "' holds " + values[i] + " at index " + i
                                        + "; the file is corrupt or was saved from a diverged training run");
                    }
                }
                out.put(e.name(), Tensor.wrap(values, e.shape()));
            }
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        expected.keySet().forEach(k -> ordered.put(k, out.get(k)));
        return ordered;
    }

    /** Checks one manifest entry against the architecture before anything is read. */
    private static Entry entry(
            JsonNode e,
            String wp,
            Map<String, WeightSpec> expected,
            Map<String, Entry> found,
            Path source,
            long offset) {
        String dtype = e.path("dtype").asText("float32");
        if (!"float32".equals(dtype)) {
            throw new SpecException(
                    wp + ".dtype",
                    source + ": weight dtype '" + dtype + "' is not supported; rnn4j reads float32 weights");
        }
        if (e.has("quantization")) {
            throw new SpecException(
                    wp + ".quantization", source + ": quantized weights are not supported; save the model unquantized");
        }
        JsonNode shapeNode = e.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new SpecException(wp + ".shape", source + ": is required");
        }
        String raw = e.path("name").asText("");
        String name = normalizeName(raw);
        WeightSpec ws = expected.get(name);
        if (ws == null) {
            throw new SpecException(
                    wp + ".name",
                    source + ": weight '" + raw + "' does not belong to the model; expected " + expected.keySet());
        }
        if (found.containsKey(name)) {
            throw new SpecException(
                    wp + ".name",
                    source + ": weight '" + name + "' is listed twice in the manifest; it must appear once");
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                throw new SpecException(
                        wp + ".shape", source + ": dimensions must be integers in [0, 2^31), got " + shapeNode);
            }
            shape[i] = d.asInt();
        }
        if (!Arrays.equals(ws.shapeArray(), shape)) {
            throw new SpecException(
                    wp + ".shape",
                    source + ": weight '" + name + "' has shape " + shapeNode + " but the architecture needs "
                            + ws.shape());
        }
        Entry entry = new Entry(name, wp, shape, offset);
        found.put(name, entry);
        return entry;
    }

    /** Reads one group's files, exactly the bytes its (already checked) entries need. */
    private static ByteBuffer readGroup(List<Path> files, List<Entry> entries, Path source) throws IOException {
        long needed = 0;
        for (Entry e : entries) {
            needed += Tensor.size(e.shape()) * 4;
        }
        if (needed > Integer.MAX_VALUE - 8) {
            throw new SpecException(
                    "$.weightsManifest",
                    source + ": the weights of one manifest group exceed 2 GiB; rnn4j refuses them");
        }
        ByteBuffer all = ByteBuffer.allocate((int) needed).order(ByteOrder.LITTLE_ENDIAN);
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                while (all.hasRemaining() && ch.read(all) > 0) {
                    // keep reading; never past what the shapes need
                }
            }
        }
        if (all.hasRemaining()) {
            throw new SpecException(
                    "$.weightsManifest",
                    source + ": the weight files ended after " + all.position() + " of " + needed
                            + " bytes (changed while being read?)");
        }
        return all;
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
        save(dir, spec, weights, extras, Map.of());
    }

    /**
     * As {@link #save(Path, ModelSpec, Map, ObjectNode)}, with more files (file name to content)
     * written beside the model in the same atomic swap: a run's outputs appear all at once or not
     * at all, and a failure to write any of them leaves the folder as it was. Errors name the file
     * as it would have been in {@code dir}, never the temporary folder.
     */
    public static void save(
            Path dir, ModelSpec spec, Map<String, Tensor> weights, ObjectNode extras, Map<String, byte[]> files)
            throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectory(tmp);
        } catch (IOException e) {
            throw cannotWrite(dir, e);
        }
        try {
            step(SaveStep.TEMP_CREATED);
            writeFiles(tmp, dir, spec, weights, extras);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                String name = f.getKey();
                if (name.contains("/")
                        || name.startsWith(".")
                        || Set.of(MODEL_JSON, WEIGHTS_BIN, RNN4J_JSON).contains(name)) {
                    throw new IllegalArgumentException("cannot save an extra file named '" + name + "' with a model");
                }
                writeSynced(tmp.resolve(name), ByteBuffer.wrap(f.getValue()), dir.resolve(name));
            }
            fsyncDir(tmp);
            step(SaveStep.WRITTEN);
            swapIn(tmp, target, dir);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /** The steps of a save, in order; a process killed after any of them leaves a state {@link #recover} repairs. */
    enum SaveStep {
        /** The temporary folder exists, empty. */
        TEMP_CREATED,
        /** {@code weights.bin} is in the temporary folder, the rest not yet. */
        WEIGHTS_WRITTEN,
        /** Every file is written and fsynced in the temporary folder. */
        WRITTEN,
        /** A backup left by an earlier interrupted save is gone. */
        BACKUP_CLEARED,
        /** The previous save is renamed to the backup name; the target is missing. */
        MOVED_ASIDE,
        /** The new save is renamed to the target; the backup still exists. */
        MOVED_IN,
        /** The backup is deleted: the save is complete. */
        BACKUP_DELETED
    }

    /** A test seam: called after each step of every save, so a test can end the process exactly there. */
    static volatile Consumer<SaveStep> afterStep = s -> {};

    private static void step(SaveStep s) {
        afterStep.accept(s);
    }

    /**
     * Repairs what a save killed midway left at {@code target}, so that it holds the last complete
     * save: the backup is moved back if the target is missing (killed between the two renames),
     * dropped if both exist (killed after them), and temporary folders are removed (killed while
     * writing, or between the renames, where the backup is the save known to be complete). Call it
     * only while holding the folder's {@link RunLock}, when no save can be under way.
     */
    public static void recover(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path backup = backupOf(abs);
        if (!Files.exists(abs) && Files.isDirectory(backup)) {
            move(backup, abs);
        } else if (Files.exists(abs) && Files.exists(backup)) {
            deleteTree(backup);
        }
        if (!Files.isDirectory(abs.getParent())) {
            return;
        }
        String temp = "." + abs.getFileName() + ".tmp-";
        try (var s = Files.list(abs.getParent())) {
            for (Path p :
                    s.filter(p -> p.getFileName().toString().startsWith(temp)).toList()) {
                deleteTree(p);
            }
        }
    }

    private static void writeFiles(Path dir, Path shown, ModelSpec spec, Map<String, Tensor> weights, ObjectNode extras)
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
        writeSynced(dir.resolve(WEIGHTS_BIN), buf, shown.resolve(WEIGHTS_BIN));
        step(SaveStep.WEIGHTS_WRITTEN);
        writeSynced(
                dir.resolve(MODEL_JSON), ByteBuffer.wrap(MAPPER.writeValueAsBytes(model)), shown.resolve(MODEL_JSON));
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
        writeSynced(dir.resolve(RNN4J_JSON), ByteBuffer.wrap(MAPPER.writeValueAsBytes(doc)), shown.resolve(RNN4J_JSON));
    }

    /** Writes and fsyncs a new file; a failure names {@code shown}, the path the user knows. */
    private static void writeSynced(Path file, ByteBuffer data, Path shown) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (data.hasRemaining()) {
                ch.write(data);
            }
            ch.force(true);
        } catch (IOException e) {
            throw cannotWrite(shown, e);
        }
    }

    private static IOException cannotWrite(Path shown, IOException e) {
        String reason = e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null
                ? fs.getReason()
                : e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) {
            reason = "permission denied";
        }
        return new IOException("cannot write " + shown + ": " + reason, e);
    }

    /** Writes a small file atomically (temp file, fsync, rename), e.g. history.json in a run directory. */
    public static void writeAtomically(Path file, byte[] data) throws IOException {
        Path abs = file.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
        Path tmp = abs.getParent().resolve("." + abs.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            writeSynced(tmp, ByteBuffer.wrap(data), file);
            try {
                move(tmp, abs);
            } catch (IOException e) {
                throw cannotWrite(file, e);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    static Path backupOf(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        return abs.getParent().resolve("." + abs.getFileName() + ".previous");
    }

    private static void swapIn(Path tmp, Path target, Path shown) throws IOException {
        Path backup = backupOf(target);
        deleteTree(backup);
        step(SaveStep.BACKUP_CLEARED);
        boolean asideDone = false;
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)
                    || (!Files.exists(target.resolve(MODEL_JSON)) && hasForeignEntries(target))) {
                throw new IOException("refusing to replace " + shown
                        + ": it exists and is not an rnn4j model directory;" + " choose an empty or new output folder");
            }
            move(target, backup);
            asideDone = true;
            step(SaveStep.MOVED_ASIDE);
        }
        try {
            move(tmp, target);
        } catch (IOException e) {
            if (asideDone) {
                move(backup, target);
            }
            throw cannotWrite(shown, e);
        }
        step(SaveStep.MOVED_IN);
        deleteTree(backup);
        step(SaveStep.BACKUP_DELETED);
        fsyncDir(target.getParent());
    }

    /**
     * Anything but a training checkpoint folder (and what a killed checkpoint save leaves beside
     * it): a run folder holds only that before its first save.
     */
    static boolean hasForeignEntries(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> {
                String n = p.getFileName().toString();
                boolean checkpoint = n.equals(CHECKPOINT)
                        || n.equals("." + CHECKPOINT + ".previous")
                        || n.startsWith("." + CHECKPOINT + ".tmp-");
                return !(checkpoint && Files.isDirectory(p));
            });
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
