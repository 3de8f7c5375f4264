package org.rnn4j.spark.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.weights.WeightStore;

/**
 * Saved models read by executors, once per executor JVM and path. A path with a scheme other
 * than {@code file} ({@code hdfs://}, {@code s3a://}, ...) is copied to a local temporary folder
 * through Hadoop's file system first. A model an executor cannot read is an
 * {@link IllegalArgumentException} naming the path and the executor's host, so the driver reports
 * one clear line.
 */
public final class ExecutorModels {
    private static final Map<String, Loaded> MODELS = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /** A model's spec (as JSON, the key of {@link ExecutorEngines}) and its weights, read-only. */
    public record Loaded(String specJson, WeightStore weights) {}

    public static Loaded get(String path) {
        // Keyed by the local files' modification times too, so a model saved again at the same path
        // is read again; computeIfAbsent caches no failure (the file may appear later).
        return MODELS.computeIfAbsent(path + '\n' + stamp(path), k -> load(path));
    }

    private static String stamp(String path) {
        try {
            Path p = Path.of(path);
            Path dir = Files.isDirectory(p) ? p : p.getParent();
            if (dir == null) {
                return "";
            }
            StringBuilder b = new StringBuilder();
            for (String f : new String[] {ModelFiles.MODEL_JSON, ModelFiles.WEIGHTS_BIN, ModelFiles.RNN4J_JSON}) {
                Path file = dir.resolve(f);
                b.append(Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : 0)
                        .append(',');
            }
            return b.toString();
        } catch (IOException | RuntimeException notLocal) {
            return ""; // a Hadoop path or an unreadable one: load() reports it
        }
    }

    private static Loaded load(String path) {
        try {
            LoadedModel m = ModelFiles.load(local(path));
            if (!m.hasWeights()) {
                throw new IllegalArgumentException("model " + path + " has no weights (it is an architecture or"
                        + " spec); score with a trained model folder");
            }
            WeightStore store = new WeightStore(m.spec().weights());
            store.setAll(m.weights());
            return new Loaded(SpecJson.write(m.spec()), store);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException
                    && e.getMessage() != null
                    && e.getMessage().startsWith("model ")) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException(
                    "model " + path + " is not readable on executor " + host() + " (" + describe(e)
                            + "); put the model where every executor can read it (a shared folder, HDFS)",
                    e);
        }
    }

    private static Path local(String path) throws IOException {
        URI uri = URI.create(path.replace(" ", "%20"));
        if (uri.getScheme() == null || uri.getScheme().length() == 1) {
            return Path.of(path);
        }
        if ("file".equals(uri.getScheme())) {
            return Path.of(uri);
        }
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(path);
        org.apache.hadoop.fs.FileSystem fs = remote.getFileSystem(new org.apache.hadoop.conf.Configuration());
        Path dir = Files.createTempDirectory("rnn4j-model");
        dir.toFile().deleteOnExit();
        for (String f : new String[] {ModelFiles.MODEL_JSON, ModelFiles.WEIGHTS_BIN, ModelFiles.RNN4J_JSON}) {
            org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(remote, f);
            if (fs.exists(src)) {
                fs.copyToLocalFile(
                        false, src, new org.apache.hadoop.fs.Path(dir.resolve(f).toUri()), true);
                dir.resolve(f).toFile().deleteOnExit();
            }
        }
        return dir;
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        String m = e.getMessage();
        return m == null
                ? e.getClass().getSimpleName()
                : m.strip().lines().findFirst().orElse("");
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "(unknown host)";
        }
    }
}
