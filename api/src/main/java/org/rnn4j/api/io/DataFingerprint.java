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
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.BatchIterator;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.data.EpochPlan;
import org.rnn4j.api.data.TensorDataset;
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

    /** Samples per batch of a fingerprint's pass over a streamed dataset. */
    private static final int PASS_BATCH = 1024;

    /** The fingerprint of {@code used}, read from {@code source}. */
    public static DataFingerprint of(String source, Tensor... used) {
        return withFile(source, hash(used));
    }

    /**
     * The fingerprint of the samples of {@code used} (each a training or validation set, or
     * {@code null}), read from {@code source}: for datasets of known size exactly the hash of
     * {@link #of(String, Tensor...)} over each one's inputs and targets as whole tensors, so a run
     * prepared in memory and the same data streamed from a cache fingerprint alike. A streamed
     * dataset is read batch by batch in sample order (twice: inputs, then targets), never whole.
     */
    public static DataFingerprint of(String source, Dataset... used) {
        MessageDigest d = newDigest();
        for (Dataset data : used) {
            if (data == null) {
                d.update((byte) 0);
                d.update((byte) 0);
            } else if (data instanceof TensorDataset t) {
                update(d, t.x());
                if (t.y() == null) {
                    d.update((byte) 0);
                } else {
                    update(d, t.y());
                }
            } else {
                boolean targets = updatePass(d, data, true);
                if (targets) {
                    updatePass(d, data, false);
                } else {
                    d.update((byte) 0);
                }
            }
        }
        return withFile(source, HexFormat.of().formatHex(d.digest()));
    }

    /**
     * Feeds one part (inputs or targets) of every batch of {@code data}, in sample order, as one
     * tensor of all samples; returns whether the batches have targets.
     */
    private static boolean updatePass(MessageDigest d, Dataset data, boolean inputs) {
        long n = data.sampleCount().orElse(-1);
        boolean targets = false;
        boolean first = true;
        try (BatchIterator it = data.batches(EpochPlan.inOrder(PASS_BATCH))) {
            while (it.hasNext()) {
                Batch b = it.next();
                targets = b.hasTargets();
                Tensor t = inputs ? b.x() : b.y();
                if (t == null) {
                    return false;
                }
                if (n < 0) {
                    // Size unknown ahead: each batch hashed as a tensor of its own.
                    update(d, t);
                    continue;
                }
                if (first) {
                    int[] shape = t.shape().clone();
                    shape[0] = Math.toIntExact(n);
                    header(d, t.dtype(), shape);
                    first = false;
                }
                data(d, t);
            }
        }
        if (first && n >= 0) {
            // No batch at all: an empty dataset.
            d.update((byte) 0);
        }
        return targets;
    }

    private static DataFingerprint withFile(String source, String sha256) {
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
        return new DataFingerprint(source, bytes, modified, sha256);
    }

    static String hash(Tensor... tensors) {
        MessageDigest d = newDigest();
        for (Tensor t : tensors) {
            if (t == null) {
                d.update((byte) 0);
                continue;
            }
            update(d, t);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static void update(MessageDigest d, Tensor t) {
        header(d, t.dtype(), t.shape());
        data(d, t);
    }

    private static void header(MessageDigest d, DType dtype, int[] shape) {
        ByteBuffer head = ByteBuffer.allocate(8 + 4 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
        // Fixed codes, not ordinal(): fingerprints are stored in checkpoints and must not move if DType grows.
        head.putInt(dtype == DType.FLOAT32 ? 0 : 1).putInt(shape.length);
        for (int s : shape) {
            head.putInt(s);
        }
        d.update(head.array());
    }

    private static void data(MessageDigest d, Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.FLOAT32) {
            b.asFloatBuffer().put(t.floatView());
        } else {
            b.asIntBuffer().put(t.intView());
        }
        d.update(b.array());
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
