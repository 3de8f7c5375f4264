package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.json.SpecJson;

/** {@code compare}: the same start on both engines, forward agreement within 1e-5, and the report files. */
class CompareIT {
    @TempDir
    Path tmp;

    private JsonNode compare(String... args) throws Exception {
        Path out = tmp.resolve("cmp-" + args[1]);
        String[] all = new String[args.length + 3];
        all[0] = "compare";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--out";
        all[args.length + 2] = out.toString();
        Cli r = Cli.run(all).ok();
        assertTrue(r.out().contains("forward max |diff| before training"), r.out());
        for (String f : new String[] {"compare.json", "compare.md", "compare.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        StockWorkflowIT.assertPng(out.resolve("compare.png"));
        JsonNode json = SpecJson.parse(Files.readString(out.resolve("compare.json")), "compare.json");
        assertTrue(json.get("forwardMaxAbsDiff").asDouble() <= 1e-5, json.toString());
        assertTrue(json.get("predictionMaxAbsDiff").isNumber());
        assertTrue(json.get("weightMaxAbsDiff").isNumber());
        for (String id : new String[] {"tf", "dl4j"}) {
            JsonNode b = json.get("backends").get(id);
            assertEquals(3, b.get("history").get("loss").size(), id);
            assertEquals(3, b.get("secondsPerEpoch").size(), id);
            assertTrue(b.get("samplesPerSecond").get(2).asDouble() > 0, id);
        }
        return json;
    }

    @Test
    void stockModelOnBothEngines() throws Exception {
        JsonNode json = compare("--zoo", "stock-simple-rnn", "--data", "amzn", "--epochs", "3");
        for (String id : new String[] {"tf", "dl4j"}) {
            JsonNode ev = json.get("backends").get(id).get("testEvaluation");
            assertTrue(ev.get("naive").get("rmse").asDouble() > 0, "the naive baseline is reported");
        }
    }

    @Test
    void smallCharModelOnBothEngines() throws Exception {
        compare("--zoo", "char-embedding-lstm", "--max-chars", "2500", "--epochs", "3", "--batch-size", "64");
    }
}
