package org.rnn4j.zoo.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.recipe.ScalerKind;

class SpecFileTest {
    @TempDir
    Path tmp;

    private static final String SPEC = """
            {"format": "rnn4j.spec/1", "name": "five", "input": {"shape": [30, 5]},
             "layers": [{"type": "LSTM", "units": 8}, {"type": "Dense", "units": 5}]%s}
            """;

    private static SpecFile read(String data) {
        return SpecFile.read(SpecJson.parse(SPEC.formatted(data), "spec"));
    }

    @Test
    void seriesBlockRoundTrips() {
        DataBlock.Series block = new DataBlock.Series(
                "sp500",
                List.of("open", "high", "low", "close", "volume"),
                "close",
                "absolute",
                2,
                ScalerKind.MIN_MAX,
                new ChronologicalSplit(0.6, 0.2, 0.2));
        SpecFile f = new SpecFile(read("").spec(), block);
        SpecFile back = SpecFile.read(SpecJson.parse(f.write(), "written"));
        assertEquals(block, back.data());
        assertEquals(f.spec(), back.spec());
        assertEquals(SpecJson.write(f.spec()), SpecJson.write(back.spec()));
    }

    @Test
    void textBlockRoundTrips() {
        DataBlock.Text block = new DataBlock.Text("kjv", "word", 4, 20000, null);
        SpecFile f = new SpecFile(Zoo.get("word-embedding-lstm").spec(), block);
        SpecFile back = SpecFile.read(SpecJson.parse(f.write(), "written"));
        assertEquals(block, back.data());
        JsonNode json = f.toJson().get("data");
        assertEquals("text", json.get("kind").asText());
        assertEquals(20000, json.get("max_chars").asInt());
    }

    @Test
    void aSpecWithoutABlockHasNone() {
        assertNull(read("").data());
    }

    @Test
    void unknownFieldsNameTheirPath() {
        SpecException e =
                assertThrows(SpecException.class, () -> read(", \"data\": {\"kind\": \"series\", \"colour\": 1}"));
        assertTrue(e.getMessage().startsWith("$.data.colour: unknown field 'colour'"), e.getMessage());
        SpecException s = assertThrows(
                SpecException.class,
                () -> read(", \"data\": {\"kind\": \"text\", \"split\": {\"train\": 0.8, \"valid\": 0.2}}"));
        assertTrue(s.getMessage().startsWith("$.data.split.valid: unknown field"), s.getMessage());
        SpecException k = assertThrows(SpecException.class, () -> read(", \"data\": {\"kind\": \"image\"}"));
        assertTrue(k.getMessage().startsWith("$.data.kind: unknown kind 'image'"), k.getMessage());
        SpecException v = assertThrows(
                SpecException.class, () -> read(", \"data\": {\"kind\": \"series\", \"differencing\": \"log\"}"));
        assertTrue(v.getMessage().contains("--differencing must be none, absolute or percent"), v.getMessage());
        SpecException c =
                assertThrows(SpecException.class, () -> read(", \"data\": {\"kind\": \"series\", \"columns\": [1]}"));
        assertTrue(c.getMessage().startsWith("$.data.columns[0]: must be a column name"), c.getMessage());
    }

    @Test
    void theRestOfTheSpecStaysStrict() {
        SpecException e =
                assertThrows(SpecException.class, () -> read(", \"data\": {\"kind\": \"series\"}, \"extra\": true"));
        assertTrue(e.getMessage().startsWith("$.extra"), e.getMessage());
    }

    @Test
    void filesThatAreNotRnn4jSpecsAreLeftToTheirReaders() throws Exception {
        Path keras = tmp.resolve("model.json");
        Files.writeString(keras, "{\"format\": \"layers-model\", \"modelTopology\": {}}");
        assertNull(SpecFile.readIfRnn4j(keras));
        Path ours = tmp.resolve("spec.json");
        Files.writeString(ours, SPEC.formatted(", \"data\": {\"kind\": \"series\", \"target\": \"close\"}"));
        assertEquals("close", ((DataBlock.Series) SpecFile.readIfRnn4j(ours).data()).target());
    }
}
