package org.rnn4j.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the streaming benchmarks compiling and running at tiny sizes, in this JVM; the real
 * measurements run through {@code benchmarks/streaming.sh}.
 */
class StreamingBenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void seriesCase() throws IOException {
        ObjectNode r = StreamingBench.run(
                "--case",
                "series",
                "--rows",
                "30000",
                "--dir",
                dir.toString(),
                "--warmup",
                "3",
                "--timed",
                "10",
                "--rounds",
                "1");
        assertEquals(30_000, r.get("rows").asInt());
        assertTrue(r.get("cache_built").asBoolean());
        assertEquals(30_000 - 51, r.get("windows").asInt());
        assertTrue(r.get("streamed_median").asDouble() > 0);
        assertTrue(r.get("in_memory_median").asDouble() > 0);
    }

    @Test
    void textCase() throws IOException {
        ObjectNode r = StreamingBench.run(
                "--case",
                "text",
                "--text-bytes",
                "300000",
                "--dir",
                dir.toString(),
                "--warmup",
                "1",
                "--timed",
                "2",
                "--rounds",
                "1");
        assertEquals(300_000, r.get("characters").asInt());
        assertTrue(r.get("vocabulary").asInt() > 50);
        assertTrue(r.get("streamed_median").asDouble() > 0);
    }

    @Test
    void prefetchAndPrecisionCases() throws IOException {
        ObjectNode p = StreamingBench.run("--case", "prefetch", "--rounds", "1", "--warmup-epochs", "1");
        assertTrue(p.get("prefetch_on_over_premade").asDouble() > 0);
        ObjectNode q = StreamingBench.run("--case", "precision", "--rows", "20000", "--dir", dir.toString());
        assertEquals(5105, q.get("sp500").get("prices").asInt());
        assertTrue(q.get("sp500").get("max_abs_pct_change_error").asDouble() > 0, "float32 prices do change things");
    }
}
