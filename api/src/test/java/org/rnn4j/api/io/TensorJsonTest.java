package org.rnn4j.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.tensor.Tensor;

class TensorJsonTest {
    private static Tensor read(String json) {
        return TensorJson.read(SpecJson.parse(json, "t.json"), "t.json");
    }

    @Test
    void roundTrip() {
        Tensor t = Tensor.of(new float[] {1.5f, -2, 3, 4, 5, 6}, 1, 3, 2);
        assertEquals(t, read(TensorJson.write(t)));
        Tensor ids = Tensor.ofInts(new int[] {1, 2, 3}, 1, 3);
        assertEquals(ids, read(TensorJson.write(ids)));
    }

    @Test
    void dataLengthMustMatchTheShape() {
        SpecException e = assertThrows(SpecException.class, () -> read("{\"shape\": [2, 2], \"data\": [1, 2, 3]}"));
        assertEquals("$.data: t.json: has 3 values but shape [2,2] needs 4; fix the shape or the data", e.getMessage());
        e = assertThrows(SpecException.class, () -> read("{\"shape\": [1], \"dtype\": \"int32\", \"data\": [1.5]}"));
        assertEquals("$.data[0]: t.json: must be an int32 token id, got 1.5", e.getMessage());
    }
}
