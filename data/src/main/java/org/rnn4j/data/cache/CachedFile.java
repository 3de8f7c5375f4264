package org.rnn4j.data.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The one on-disk format of rnn4j's caches, little-endian:
 *
 * <pre>
 * 0        "RNN4JCF1" magic, 4 bytes format version (1), 4 reserved
 * 16       payload: P bytes (8-byte aligned; e.g. float64 values or token ids)
 * 16+P     metadata: M bytes of UTF-8 JSON (what the file was built from, and how)
 * 16+P+M   trailer, 32 bytes: P (8), M (4), CRC32C of the payload (4), CRC32C of the metadata (4),
 *          4 reserved,
 *          "RNN4JEND" (8)
 * </pre>
 *
 * The metadata goes last because the number of rows is known only when a source has streamed by.
 * {@link #open} checks the structure and both checksums before anything is read from the file, so
 * a truncated, half-copied or damaged file is never trusted.
 */
public final class CachedFile {
    static final int HEADER = 16;
    static final int TRAILER = 32;
    private static final byte[] MAGIC = "RNN4JCF1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "RNN4JEND".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final long SEGMENT = 1L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final JsonNode metadata;
    private final long payloadBytes;

    private CachedFile(Path path, JsonNode metadata, long payloadBytes) {
        this.path = path;
        this.metadata = metadata;
        this.payloadBytes = payloadBytes;
    }

    public Path path() {
        return path;
    }

    /** What the file was built from, as its builder wrote it. */
    public JsonNode metadata() {
        return metadata;
    }

    public long payloadBytes() {
        return payloadBytes;
    }

    /** A new metadata object for {@link Output#finish}. */
    public static ObjectNode newMetadata() {
        return JSON.createObjectNode();
    }

    /**
     * Opens and checks a cache file; {@code null} when it is not a complete, intact file of this
     * format (then it must be rebuilt).
     *
     * @param verifyPayload false only for a file this process has just written and forced to disk
     */
    public static CachedFile open(Path path, boolean verifyPayload) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER + TRAILER) {
                return null;
            }
            ByteBuffer head = read(ch, 0, HEADER);
            if (!Arrays.equals(bytes(head, 8), MAGIC) || head.getInt(8) != VERSION) {
                return null;
            }
            ByteBuffer tail = read(ch, size - TRAILER, TRAILER);
            long p = tail.getLong(0);
            int m = tail.getInt(8);
            int payloadCrc = tail.getInt(12);
            int metadataCrc = tail.getInt(16);
            tail.position(24);
            if (!Arrays.equals(bytes(tail.slice(), 8), END) || p < 0 || m < 0 || size != HEADER + p + m + TRAILER) {
                return null;
            }
            ByteBuffer meta = read(ch, HEADER + p, m);
            CRC32C crc = new CRC32C();
            crc.update(meta.duplicate());
            if ((int) crc.getValue() != metadataCrc) {
                return null;
            }
            if (verifyPayload && crc32c(ch, HEADER, p) != payloadCrc) {
                return null;
            }
            JsonNode metadata;
            try {
                metadata = JSON.readTree(new String(bytes(meta, m), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return null;
            }
            return new CachedFile(path, metadata, p);
        }
    }

    /** The payload memory-mapped, read-only; it stays mapped until the returned object is unreachable. */
    public Payload map() throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            int n = (int) Math.max(1, (payloadBytes + SEGMENT - 1) / SEGMENT);
            ByteBuffer[] segments = new ByteBuffer[n];
            for (int s = 0; s < n; s++) {
                long from = s * SEGMENT;
                long len = Math.min(SEGMENT, payloadBytes - from);
                segments[s] = ch.map(FileChannel.MapMode.READ_ONLY, HEADER + from, Math.max(0, len))
                        .order(ByteOrder.LITTLE_ENDIAN);
            }
            return new Payload(segments, payloadBytes);
        }
    }

    /** A mapped payload read by element; elements never straddle segments (whose size is a multiple of 8). */
    public static final class Payload {
        private final ByteBuffer[] segments;
        private final long bytes;

        Payload(ByteBuffer[] segments, long bytes) {
            this.segments = segments;
            this.bytes = bytes;
        }

        public long bytes() {
            return bytes;
        }

        /** float64 value {@code index}. */
        public double getDouble(long index) {
            long at = index * 8;
            return segments[(int) (at / SEGMENT)].getDouble((int) (at % SEGMENT));
        }

        /** float64 values {@code [first, first + count)} into {@code dst[offset ..]}, in bulk within a segment. */
        public void readDoubles(long first, double[] dst, int offset, int count) {
            long at = first * 8;
            int done = 0;
            while (done < count) {
                int s = (int) (at / SEGMENT);
                int within = (int) (at % SEGMENT);
                int n = (int) Math.min(count - done, (SEGMENT - within) / 8);
                segments[s].asDoubleBuffer().get(within / 8, dst, offset + done, n);
                done += n;
                at += 8L * n;
            }
        }

        /** Unsigned integers of {@code width} bytes (1, 2 or 4) {@code [first, first + count)} into {@code dst}. */
        public void readUnsigned(int width, long first, int[] dst, int offset, int count) {
            for (int i = 0; i < count; i++) {
                long at = (first + i) * width;
                ByteBuffer seg = segments[(int) (at / SEGMENT)];
                int p = (int) (at % SEGMENT);
                dst[offset + i] = switch (width) {
                    case 1 -> seg.get(p) & 0xFF;
                    case 2 -> seg.getShort(p) & 0xFFFF;
                    case 4 -> seg.getInt(p);
                    default -> throw new IllegalArgumentException("id width must be 1, 2 or 4 bytes, got " + width);
                };
            }
        }
    }

    /** Streams a payload into a new file, then its metadata and trailer. */
    public static final class Output implements Closeable {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private long payload;

        public Output(Path file) throws IOException {
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            head.put(MAGIC).putInt(VERSION).putInt(0).flip();
            writeFully(head);
        }

        public void putDouble(double v) throws IOException {
            room(8).putDouble(v);
        }

        /** An unsigned integer of {@code width} bytes (1, 2 or 4). */
        public void putUnsigned(int width, int v) throws IOException {
            ByteBuffer b = room(width);
            switch (width) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt(v);
                default -> throw new IllegalArgumentException("id width must be 1, 2 or 4 bytes, got " + width);
            }
        }

        /** Payload bytes written so far. */
        public long payloadBytes() {
            return payload + buf.position();
        }

        private ByteBuffer room(int n) throws IOException {
            if (buf.remaining() < n) {
                flushPayload();
            }
            return buf;
        }

        private void flushPayload() throws IOException {
            buf.flip();
            payload += buf.remaining();
            crc.update(buf.duplicate());
            writeFully(buf);
            buf.clear();
        }

        /** Pads the payload to 8 bytes, then writes the metadata and the trailer. */
        public void finish(ObjectNode metadata) throws IOException {
            while (payloadBytes() % 8 != 0) {
                room(1).put((byte) 0);
            }
            flushPayload();
            byte[] meta = JSON.writeValueAsBytes(metadata);
            CRC32C metaCrc = new CRC32C();
            metaCrc.update(meta);
            writeFully(ByteBuffer.wrap(meta));
            ByteBuffer tail = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN);
            tail.putLong(payload)
                    .putInt(meta.length)
                    .putInt((int) crc.getValue())
                    .putInt((int) metaCrc.getValue())
                    .putInt(0)
                    .put(END)
                    .flip();
            writeFully(tail);
        }

        private void writeFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return b.flip();
    }

    private static int crc32c(FileChannel ch, long from, long n) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        long at = from;
        long end = from + n;
        while (at < end) {
            b.clear().limit((int) Math.min(b.capacity(), end - at));
            int r = ch.read(b, at);
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
            at += r;
            b.flip();
            crc.update(b);
        }
        return (int) crc.getValue();
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.duplicate().get(out);
        return out;
    }
}
