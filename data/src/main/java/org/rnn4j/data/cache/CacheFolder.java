package org.rnn4j.data.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * The folder cache files live in: {@code -Drnn4j.cacheDir}, else {@code RNN4J_CACHE_DIR}, else
 * {@code $XDG_CACHE_HOME/rnn4j}, else {@code ~/.cache/rnn4j}; never beside the data, so a
 * read-only data folder works. A cache file is named after its source and a hash of the source's
 * absolute path and the settings, and is written atomically: into a temporary file in the same
 * folder, forced to disk, then renamed over the old one, under a lock file so two processes never
 * build the same file at once. Whatever fails, nothing half-written is left under the final name,
 * and the temporary file is deleted.
 */
public final class CacheFolder {
    /** The system property that chooses the folder. */
    public static final String PROPERTY = "rnn4j.cacheDir";
    /** The environment variable that chooses the folder. */
    public static final String ENVIRONMENT = "RNN4J_CACHE_DIR";

    private final Path dir;

    private CacheFolder(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** A cache in {@code dir} (made when the first file is built). */
    public static CacheFolder at(Path dir) {
        return new CacheFolder(Objects.requireNonNull(dir, "dir"));
    }

    /** The user's cache folder, as the class description says. */
    public static CacheFolder standard() {
        // One rule for every rnn4j cache file (the engines' tuning cache lives there too).
        return at(org.rnn4j.api.backend.TuningCache.userCacheDir());
    }

    public Path dir() {
        return dir;
    }

    /**
     * The cache file of {@code source} under {@code settings}: {@code <file name>-<hash>.<kind>},
     * the hash over the kind, the source's absolute path and the settings.
     */
    public Path fileFor(String kind, Path source, String settings) {
        String key = kind + "\n" + source.toAbsolutePath().normalize() + "\n" + settings;
        String hash = sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        String name = source.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.length() > 60) {
            name = name.substring(0, 60);
        }
        return dir.resolve(name + "-" + hash + "." + kind);
    }

    /** A cache file open for reading, and why it was built ({@code null} when an existing one was reused). */
    public record Opened(Path path, CachedFile file, String rebuiltBecause) {}

    /** Writes the cache of one source; its stamp and settings belong in the file's metadata. */
    @FunctionalInterface
    public interface SourceWriter {
        void write(SourceStamp stamp, Path temporary) throws IOException;
    }

    /**
     * The cache file of {@code source} under {@code settings}, reused when its metadata still
     * matches the source (size, modification time, header checksum) and the settings, else built
     * again by {@code writer} (never trusted when it is incomplete or damaged).
     */
    public Opened open(String kind, Path source, String settings, SourceWriter writer) throws IOException {
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException(source.toString());
        }
        SourceStamp stamp = SourceStamp.of(source);
        Path target = fileFor(kind, source, settings);
        CachedFile[] reused = {null};
        String[] why = {"there was no cache file"};
        boolean built = build(
                target,
                existing -> {
                    CachedFile c = CachedFile.open(existing, true);
                    String m = c == null ? "the cache file was incomplete or damaged" : stamp.mismatch(c.metadata());
                    if (m == null
                            && !settings.equals(c.metadata().path("settings").asText())) {
                        m = "it was built with other settings";
                    }
                    why[0] = m;
                    reused[0] = m == null ? c : null;
                    return m == null;
                },
                tmp -> writer.write(stamp, tmp));
        CachedFile file = built ? CachedFile.open(target, false) : reused[0];
        if (file == null) {
            throw new IOException("the cache file " + target + " cannot be read back after it was built");
        }
        return new Opened(target, file, built ? why[0] : null);
    }

    /** Writes one file's content into a path it is given. */
    @FunctionalInterface
    public interface Writer {
        void write(Path temporary) throws IOException;
    }

    /** Decides, under the lock, whether an existing file can be used as it is. */
    @FunctionalInterface
    public interface Check {
        boolean usable(Path file) throws IOException;
    }

    /**
     * Builds {@code target} with {@code writer} unless {@code reuse} accepts the existing file (asked
     * again under the lock, so a file another process just built is reused). Returns true when it
     * built.
     */
    public boolean build(Path target, Check reuse, Writer writer) throws IOException {
        createFolder();
        Path lock = target.resolveSibling(target.getFileName() + ".lock");
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = ch.lock()) {
            if (Files.exists(target) && reuse.usable(target)) {
                return false;
            }
            deleteStaleTemporaries(target);
            Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            boolean done = false;
            try {
                writer.write(tmp);
                try (FileChannel f = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    f.force(true);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                done = true;
            } finally {
                if (!done) {
                    Files.deleteIfExists(tmp);
                }
            }
            return true;
        }
    }

    private void createFolder() {
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new AccessDeniedException(dir.toString());
            }
        } catch (IOException e) {
            String reason = e instanceof FileSystemException f && f.getReason() != null
                    ? f.getReason()
                    : e.getClass().getSimpleName();
            throw new IllegalArgumentException("cannot write the cache folder " + dir + " (" + reason + "); set "
                    + ENVIRONMENT + " or -D" + PROPERTY + " to a writable folder");
        }
    }

    /** Temporary files of earlier builds of this target that were killed (safe: we hold its lock). */
    private static void deleteStaleTemporaries(Path target) throws IOException {
        String prefix = target.getFileName() + ".";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(target.getParent(), prefix + "*.tmp")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** The SHA-256 of the first {@code limit} bytes of {@code file}, in hex: a cheap fingerprint of its head. */
    public static String headChecksum(Path file, int limit) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in.readNBytes(limit));
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "CacheFolder[" + dir + "]";
    }
}
