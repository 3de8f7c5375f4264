package org.rnn4j.api.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One TensorBoard event file: TFRecords ({@code uint64 length, uint32 masked CRC32C of the length,
 * data, uint32 masked CRC32C of the data}, little-endian) each holding one serialized
 * {@code tensorflow.Event}. The first event names the format ({@code brain.Event:2}).
 */
final class EventFile implements AutoCloseable {
    /** TensorFlow's DataType enum: DT_STRING. */
    static final int DT_STRING = 7;

    private final Path path;
    private final OutputStream out;

    private EventFile(Path path, OutputStream out) {
        this.path = path;
        this.out = out;
    }

    /** Creates {@code dir/events.out.tfevents.<seconds>.<host>.<pid>.<n>} and writes the version event. */
    static EventFile create(Path dir, long wallMillis, int sequence) throws IOException {
        Files.createDirectories(dir);
        String host = System.getenv().getOrDefault("HOSTNAME", "localhost").replaceAll("[^A-Za-z0-9._-]", "_");
        Path file = dir.resolve("events.out.tfevents." + wallMillis / 1000 + "." + host + "."
                + ProcessHandle.current().pid() + "." + sequence);
        EventFile f = new EventFile(
                file, Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        f.write(new Proto().doubleValue(1, wallMillis / 1000.0).string(3, "brain.Event:2"));
        return f;
    }

    Path path() {
        return path;
    }

    /** An event holding a summary of {@code values} at {@code step}. */
    void summary(double wallSeconds, long step, List<Proto> values) throws IOException {
        Proto summary = new Proto();
        values.forEach(v -> summary.message(1, v));
        write(new Proto().doubleValue(1, wallSeconds).varint(2, step).message(5, summary));
    }

    void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void write(Proto event) throws IOException {
        out.write(record(event.toByteArray()));
    }

    /** The TFRecord framing of {@code data}. */
    static byte[] record(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc(data, 0, data.length));
        return b.array();
    }

    /** TFRecord's masked CRC32C: rotated right by 15 bits plus a constant, so CRCs of CRCs stay unlikely. */
    static int maskedCrc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xA282EAD8;
    }

    /** A {@code Summary.Value} with a float ({@code simple_value}): a scalar on TensorBoard's Scalars tab. */
    static Proto scalar(String tag, float value) {
        return new Proto().string(1, tag).floatValue(2, value);
    }

    /** A {@code Summary.Value} with a string tensor under a plugin ({@code text}, {@code graph_keras_model}). */
    static Proto stringTensor(String tag, String plugin, byte[] content, String text) {
        Proto pluginData = new Proto().string(1, plugin);
        if (content.length > 0) {
            pluginData.bytes(2, content);
        }
        Proto tensor = new Proto()
                .varint(1, DT_STRING)
                .message(2, new Proto()) // scalar: a shape with no dimensions
                .bytes(8, text.getBytes(StandardCharsets.UTF_8));
        return new Proto()
                .string(1, tag)
                .message(9, new Proto().message(1, pluginData))
                .message(8, tensor);
    }

    /**
     * A {@code Summary.Value} with a {@code HistogramProto}: {@code buckets} equal-width buckets from
     * the smallest to the largest value ({@code bucket_limit} holds each bucket's right edge).
     */
    static Proto histogram(String tag, float[] values, int buckets) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double squares = 0;
        for (float f : values) {
            min = Math.min(min, f);
            max = Math.max(max, f);
            sum += f;
            squares += (double) f * f;
        }
        int n = values.length == 0 ? 0 : min == max ? 1 : buckets;
        double[] limits = new double[n];
        double[] counts = new double[n];
        double width = (max - min) / Math.max(1, n);
        for (int i = 0; i < n; i++) {
            limits[i] = i == n - 1 ? max : min + (i + 1) * width;
        }
        for (float f : values) {
            int i = n == 1 ? 0 : (int) Math.min(n - 1, Math.floor((f - min) / width));
            counts[i]++;
        }
        Proto histo = new Proto()
                .doubleValue(1, values.length == 0 ? 0 : min)
                .doubleValue(2, values.length == 0 ? 0 : max)
                .doubleValue(3, values.length)
                .doubleValue(4, sum)
                .doubleValue(5, squares)
                .packedDoubles(6, limits)
                .packedDoubles(7, counts);
        return new Proto().string(1, tag).message(5, histo);
    }
}
