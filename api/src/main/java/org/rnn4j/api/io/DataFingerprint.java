package org.rnn4j.api.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;

/**
 * What a run trained on: the source (a file path or a shipped dataset's name), the file's size
 * and modification time when it is a file, and a SHA-256 of the tensors actually used (after
 * column choice, cutting, scaling and windowing). Two fingerprints name the same data when their
 * hashes agree; size and time only explain a difference.
 *
 * @param bytes    the file's size, or -1 for a shipped dataset
 * @param modified the file's modification time (ISO-8601), or null
 */
public record DataFingerprint(String source, long bytes, String modified, String sha256) {

    /** The fingerprint of {@code used}, read from {@code source}. */
    public static DataFingerprint of(String source, Tensor... used) {
        long bytes = -1;
        String modified = null;
        Path p = Path.of(source);
        if (Files.isRegularFile(p)) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                bytes = a.size();
                modified = a.lastModifiedTime().toString();
                source = p.toAbsolutePath().normalize().toString();
            } catch (IOException e) {
                // The hash below is what decides; size and time only explain a difference.
            }
        }
        return new DataFingerprint(source, bytes, modified, hash(used));
    }

    static String hash(Tensor... tensors) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        for (Tensor t : tensors) {
            if (t == null) {
                d.update((byte) 0);
                continue;
            }
            ByteBuffer head = ByteBuffer.allocate(8 + 4 * t.rank()).order(ByteOrder.LITTLE_ENDIAN);
            // Fixed codes, not ordinal(): fingerprints are stored in checkpoints and must not move if DType grows.
            head.putInt(t.dtype() == DType.FLOAT32 ? 0 : 1).putInt(t.rank());
            for (int s : t.shape()) {
                head.putInt(s);
            }
            d.update(head.array());
            ByteBuffer b = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
            if (t.dtype() == DType.FLOAT32) {
                b.asFloatBuffer().put(t.floatView());
            } else {
                b.asIntBuffer().put(t.intView());
            }
            d.update(b.array());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** True when both name the same data (the hashes agree). */
    public boolean sameData(DataFingerprint other) {
        return sha256.equals(other.sha256);
    }

    /** "prices.csv (12,345 bytes, modified 2024-01-01T00:00:00Z)" */
    public String describe() {
        return bytes < 0 ? source : source + " (" + bytes + " bytes, modified " + modified + ")";
    }

    public ObjectNode toJson() {
        ObjectNode o = SpecJson.mapper().createObjectNode();
        o.put("source", source);
        o.put("bytes", bytes);
        if (modified != null) {
            o.put("modified", modified);
        }
        o.put("sha256", sha256);
        return o;
    }

    /** Reads {@link #toJson}'s form; {@code where} names the document in messages. */
    public static DataFingerprint fromJson(JsonNode o, String where) {
        if (o == null
                || !o.isObject()
                || !o.path("source").isTextual()
                || !o.path("sha256").isTextual()) {
            throw new IllegalArgumentException(where + ": the data fingerprint needs 'source' and 'sha256'");
        }
        return new DataFingerprint(
                o.get("source").asText(),
                o.path("bytes").asLong(-1),
                o.path("modified").isTextual() ? o.get("modified").asText() : null,
                o.get("sha256").asText());
    }
}
