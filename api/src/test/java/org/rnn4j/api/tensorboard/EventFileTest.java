package org.rnn4j.api.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The byte-level pieces against values computed elsewhere. The CRCs come from a bitwise CRC32C
 * in Python (reflected polynomial 0x82F63B78), run as:
 * <pre>
 * def crc32c(b):
 *     c = 0xFFFFFFFF
 *     for x in b:
 *         c ^= x
 *         for _ in range(8): c = (c >> 1) ^ (0x82F63B78 if c &amp; 1 else 0)
 *     return c ^ 0xFFFFFFFF
 * def mask(c): return ((((c >> 15) | (c << 17)) &amp; 0xFFFFFFFF) + 0xA282EAD8) &amp; 0xFFFFFFFF
 * </pre>
 * TensorBoardIT reads whole files back with TensorFlow's own record reader.
 */
class EventFileTest {

    @Test
    void maskedCrc32cOfTheStandardCheckString() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        // crc32c = 0xe3069283 (the published check value), masked = 0xc78ab0e5
        assertEquals(0xC78AB0E5, EventFile.maskedCrc(check, 0, check.length));
    }

    @Test
    void aRecordIsLengthCrcDataCrc() {
        assertEquals(
                "0300000000000000" + "b099490e" + "616263" + "6e57f121",
                HexFormat.of().formatHex(EventFile.record("abc".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void protobufEncodingByHand() {
        // Event{wall_time: 1.0 (field 1, fixed64), step: 300 (field 2, varint), file_version: "ab" (field 3)}
        byte[] event =
                new Proto().doubleValue(1, 1.0).varint(2, 300).string(3, "ab").toByteArray();
        assertEquals(
                "09" + "000000000000f03f" + "10" + "ac02" + "1a" + "02" + "6162",
                HexFormat.of().formatHex(event));
        // Summary.Value{tag: "x" (1), simple_value: 0.5f (2, fixed32)}
        assertEquals(
                "0a0178" + "15" + "0000003f",
                HexFormat.of().formatHex(EventFile.scalar("x", 0.5f).toByteArray()));
        // packed doubles: tag (6 << 3 | 2), byte length 16, two little-endian doubles
        assertArrayEquals(
                HexFormat.of().parseHex("3210" + "000000000000f03f" + "0000000000000040"),
                new Proto().packedDoubles(6, new double[] {1, 2}).toByteArray());
    }

    @Test
    void negativeVarintsTakeTenBytes() {
        assertEquals(
                "08ffffffffffffffffff01",
                HexFormat.of().formatHex(new Proto().varint(1, -1).toByteArray()));
    }
}
