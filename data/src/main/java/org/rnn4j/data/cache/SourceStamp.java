package org.rnn4j.data.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What a cache file remembers of its source, to tell whether the source changed since: its
 * absolute path, size, modification time (nanoseconds, as the file system keeps it) and the
 * SHA-256 of its first {@value #HEAD_BYTES} bytes (the header line and the first rows). Any
 * difference means the cache is rebuilt.
 */
public record SourceStamp(String path, long size, long modifiedNanos, String headSha256) {
    /** The bytes of the source's head that are checksummed. */
    public static final int HEAD_BYTES = 64 * 1024;

    /** The stamp of {@code file} now. */
    public static SourceStamp of(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        return new SourceStamp(
                abs.toString(),
                Files.size(abs),
                Files.getLastModifiedTime(abs).to(TimeUnit.NANOSECONDS),
                CacheFolder.headChecksum(abs, HEAD_BYTES));
    }

    /** Writes the stamp into cache metadata. */
    public void write(ObjectNode metadata) {
        ObjectNode o = metadata.putObject("source");
        o.put("path", path);
        o.put("size", size);
        o.put("modifiedNanos", modifiedNanos);
        o.put("headSha256", headSha256);
    }

    /** Why a cache file's metadata does not match this stamp, or {@code null} when it does. */
    public String mismatch(JsonNode metadata) {
        JsonNode o = metadata.path("source");
        if (!o.path("path").asText("").equals(path)) {
            return "it was built from another file";
        }
        if (o.path("size").asLong(-1) != size) {
            return "the source's size changed (" + o.path("size").asLong(-1) + " -> " + size + " bytes)";
        }
        if (o.path("modifiedNanos").asLong(Long.MIN_VALUE) != modifiedNanos) {
            return "the source's modification time changed";
        }
        if (!o.path("headSha256").asText("").equals(headSha256)) {
            return "the source's first " + HEAD_BYTES + " bytes changed";
        }
        return null;
    }
}
