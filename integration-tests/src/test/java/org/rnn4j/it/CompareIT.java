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

    /**
     * Runs {@code compare} and holds it to the README's bounds ("Same numbers on both engines"):
     * forward outputs before training and predictions after it within 1e-5, weights after training
     * within {@code weightBound}.
     */
    private JsonNode compare(double weightBound, String... args) throws Exception {
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
        assertBetween(json, "forwardMaxAbsDiff", 1e-5);
        System.out.printf(
                "compare %s: forward %.2e, predictions %.2e, weights %.2e%n",
                String.join(" ", args),
                json.get("forwardMaxAbsDiff").asDouble(),
                json.get("predictionMaxAbsDiff").asDouble(),
                json.get("weightMaxAbsDiff").asDouble());
        assertBetween(json, "predictionMaxAbsDiff", 1e-5);
        assertBetween(json, "weightMaxAbsDiff", weightBound);
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
        JsonNode json = compare(1e-5, "--zoo", "stock-simple-rnn", "--data", "amzn", "--epochs", "3");
        for (String id : new String[] {"tf", "dl4j"}) {
            JsonNode ev = json.get("backends").get(id).get("testEvaluation");
            assertTrue(ev.get("naive").get("rmse").asDouble() > 0, "the naive baseline is reported");
        }
    }

    @Test
    void smallCharModelOnBothEngines() throws Exception {
        compare(1e-4, "--zoo", "char-embedding-lstm", "--max-chars", "2500", "--epochs", "3", "--batch-size", "64");
    }

    /** A difference is a number, not NaN, not negative, and at most the bound. */
    private static void assertBetween(JsonNode json, String field, double bound) {
        JsonNode v = json.get(field);
        assertTrue(v != null && v.isNumber(), field + " is missing: " + json);
        double d = v.asDouble();
        assertTrue(d >= 0 && d <= bound, field + " = " + d + ", above the README's bound " + bound);
    }
}
