package org.rnn4j.api.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small file of choices an engine measured once per machine and shape (autotuning: which
 * recurrence form ran fastest), so later runs skip the measuring. One line per choice,
 * {@code <key> TAB <value> TAB <note>}, after a header line; the key is a hash of everything the
 * choice depends on ({@link #key}: the CPU, the engine's version, the threads, engine
 * settings such as TensorFlow's oneDNN kernels, the model and the shape), the note says the same in words for a reader.
 *
 * <p>The file is a cache: a missing, unreadable or corrupt one is ignored (a corrupt one with one
 * warning line naming it) and rewritten whole at the next {@link #put}, written atomically (a
 * temporary file in the same folder renamed over it), so a crash never leaves half a file. Two
 * processes writing at once lose at most one of the two new choices, which is measured again.
 */
public final class TuningCache {
    private static final Logger LOG = LoggerFactory.getLogger(TuningCache.class);

    /** The file name in the user's cache folder. */
    public static final String FILE_NAME = "recurrence-forms.tsv";

    /** The first line of every cache file. */
    public static final String HEADER = "# rnn4j tuning cache v1: key\tvalue\tnote";

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern VALUE = Pattern.compile("[a-z0-9_-]{1,40}");

    private final Path file;

    private TuningCache(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    /** A cache kept in {@code file}. */
    public static TuningCache at(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        return new TuningCache(file);
    }

    /** The cache in the user's cache folder ({@link #userCacheDir()}). */
    public static TuningCache standard() {
        return at(userCacheDir().resolve(FILE_NAME));
    }

    /**
     * The user's cache folder: {@code -Drnn4j.cacheDir}, else {@code RNN4J_CACHE_DIR}, else
     * {@code $XDG_CACHE_HOME/rnn4j}, else {@code ~/.cache/rnn4j} (the data module's cache files
     * live there too).
     */
    public static Path userCacheDir() {
        String chosen = System.getProperty("rnn4j.cacheDir", System.getenv("RNN4J_CACHE_DIR"));
        if (chosen != null && !chosen.isBlank()) {
            return Path.of(chosen).toAbsolutePath().normalize();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("rnn4j").toAbsolutePath().normalize();
    }

    public Path file() {
        return file;
    }

    /** The key of a choice: a hash of its parts, in order. */
    public static String key(List<String> parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                d.update(p.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The value stored under {@code key}, or empty (also when the file is missing or ignored). */
    public synchronized Optional<String> get(String key) {
        return Optional.ofNullable(read(true).get(key)).map(Line::value);
    }

    /**
     * Stores {@code value} under {@code key} (replacing an older value), keeping the file's other
     * valid lines. A failure to write is logged as one warning and otherwise ignored: the choice is
     * then measured again next time.
     *
     * @param note a few words for a reader of the file (tabs and line breaks become spaces)
     */
    public synchronized void put(String key, String value, String note) {
        if (!KEY.matcher(key).matches() || !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("a tuning cache key is 32 hex digits and a value [a-z0-9_-], got '" + key
                    + "' and '" + value + "'");
        }
        // Quietly: a corrupt file was named by the get() that came first, and is replaced now.
        Map<String, Line> lines = read(false);
        lines.put(key, new Line(value, note == null ? "" : note.replaceAll("[\\t\\r\\n]", " ")));
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        lines.forEach((k, l) -> text.append(k)
                .append('\t')
                .append(l.value())
                .append('\t')
                .append(l.note())
                .append('\n'));
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), ".tuning-", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("rnn4j: could not write the tuning cache {} ({}); the choice will be measured again", file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is left; nothing reads it
                }
            }
        }
    }

    private record Line(String value, String note) {}

    /** Every line; empty (with one warning, if {@code warn}) when the file cannot be read or any line is malformed. */
    private Map<String, Line> read(boolean warn) {
        Logger log = warn ? LOG : org.slf4j.helpers.NOPLogger.NOP_LOGGER;
        Map<String, Line> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            if (Files.size(file) > 1 << 20) {
                log.warn("rnn4j: ignoring the tuning cache {}: larger than 1 MB; it will be rewritten", file);
                return out;
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException | RuntimeException e) {
            log.warn("rnn4j: ignoring the tuning cache {}: cannot read it ({}); it will be rewritten", file, e);
            return out;
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            log.warn(
                    "rnn4j: ignoring the tuning cache {}: its first line is not rnn4j's header; it will be rewritten",
                    file);
            return out;
        }
        for (int n = 1; n < lines.size(); n++) {
            String[] f = lines.get(n).split("\t", -1);
            if (f.length != 3
                    || !KEY.matcher(f[0]).matches()
                    || !VALUE.matcher(f[1]).matches()) {
                log.warn(
                        "rnn4j: ignoring the tuning cache {}: line {} is not 'key<TAB>value<TAB>note'; it will be"
                                + " rewritten",
                        file,
                        n + 1);
                return new LinkedHashMap<>();
            }
            out.put(f[0], new Line(f[1], f[2]));
        }
        return out;
    }
}
