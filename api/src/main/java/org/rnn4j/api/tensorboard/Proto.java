package org.rnn4j.api.tensorboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A protocol-buffer message being encoded: fields in the order they are added, each with its tag
 * ({@code field << 3 | wire type}). Only what TensorBoard's messages need: varints, 64- and 32-bit
 * little-endian numbers, length-delimited bytes, nested messages and packed doubles.
 */
final class Proto {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    Proto doubleValue(int field, double value) {
        tag(field, FIXED64);
        littleEndian(Double.doubleToRawLongBits(value), 8);
        return this;
    }

    Proto floatValue(int field, float value) {
        tag(field, FIXED32);
        littleEndian(Float.floatToRawIntBits(value), 4);
        return this;
    }

    Proto bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    Proto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto message) {
        return bytes(field, message.toByteArray());
    }

    Proto packedDoubles(int field, double[] values) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(8L * values.length);
        for (double v : values) {
            littleEndian(Double.doubleToRawLongBits(v), 8);
        }
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    /** Base-128, least significant group first; negative numbers take ten bytes, as protobuf's int64. */
    private void rawVarint(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void littleEndian(long bits, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (bits >>> (8 * i)) & 0xFF);
        }
    }
}
