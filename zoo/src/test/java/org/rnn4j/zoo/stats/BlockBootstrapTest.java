package org.rnn4j.zoo.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class BlockBootstrapTest {

    @Test
    void blockLengthRule() {
        for (JsonNode c : Reference.get().get("blockLengths")) {
            assertEquals(
                    c.get("blockLength").asInt(),
                    BlockBootstrap.blockLength(
                            c.get("n").asInt(), c.get("horizon").asInt()),
                    c.toString());
        }
        // By hand: 766^(1/3) = 9.15..., so 10; 27 is 3^3, so 3; 28 needs 4; horizon 12 wins over 10.
        assertEquals(10, BlockBootstrap.blockLength(766, 1));
        assertEquals(3, BlockBootstrap.blockLength(27, 1));
        assertEquals(4, BlockBootstrap.blockLength(28, 1));
        assertEquals(12, BlockBootstrap.blockLength(766, 12));
    }

    @Test
    void splitMix64MatchesItsPublishedFirstOutputs() {
        // SplitMix64 seeded with 0: the first outputs listed with Vigna's reference C code.
        SplitMix64 r = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
        assertEquals(0x06C45D188009454FL, r.nextLong());
    }

    @Test
    void intervalMatchesThePythonReplay() {
        int checked = 0;
        for (JsonNode c : Reference.get().get("bootstrap")) {
            BlockBootstrap.Interval i = BlockBootstrap.theilsU(
                    Reference.doubles(c.get("model")),
                    Reference.doubles(c.get("baseline")),
                    c.get("horizon").asInt(),
                    c.get("alpha").asDouble(),
                    c.get("resamples").asInt(),
                    c.get("seed").asLong());
            JsonNode e = c.get("expected");
            String name = c.get("name").asText();
            assertEquals(e.get("blockLength").asInt(), i.blockLength(), name);
            assertEquals(e.get("lower").asDouble(), i.lower(), 1e-12, name);
            assertEquals(e.get("upper").asDouble(), i.upper(), 1e-12, name);
            assertEquals(1 - c.get("alpha").asDouble(), i.level(), 1e-15);
            checked++;
        }
        assertEquals(3, checked);
    }

    @Test
    void theSeedDecidesTheInterval() {
        JsonNode c = Reference.get().get("bootstrap").get(0);
        double[] a = Reference.doubles(c.get("model"));
        double[] b = Reference.doubles(c.get("baseline"));
        BlockBootstrap.Interval one = BlockBootstrap.theilsU(a, b, 1, 0.05, 500, 42);
        BlockBootstrap.Interval again = BlockBootstrap.theilsU(a, b, 1, 0.05, 500, 42);
        BlockBootstrap.Interval other = BlockBootstrap.theilsU(a, b, 1, 0.05, 500, 43);
        assertEquals(one, again);
        assertNotEquals(one.lower(), other.lower());
    }

    @Test
    void identicalErrorsGiveTheDegenerateIntervalOne() {
        double[] e = {0.3, -1, 2, 0.5, -0.2, 0.1, 0.7, -0.4};
        BlockBootstrap.Interval i = BlockBootstrap.theilsU(e, e, 1, 0.05, 100, 1);
        assertEquals(1.0, i.lower(), 1e-15);
        assertEquals(1.0, i.upper(), 1e-15);
        assertTrue(i.contains(1.0));
    }
}
