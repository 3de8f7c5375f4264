package org.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keeps the benchmarks compiling and running: every workload on every implementation at the
 * {@code --small} sizes (tiny batches and models, two short epochs), in this JVM, checked for a
 * positive rate; then the report renders from those lines. The real measurements run through
 * {@code benchmarks/run.sh}, one fresh JVM each.
 */
class HarnessSmokeTest {
    private static final List<String> LINES = new ArrayList<>();

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "W1, tf-baseline",
        "W1b, tf-baseline",
        "W2, tf-baseline",
        "W1, tf-baseline-plain",
        "W1b, tf-baseline-plain",
        "W2, tf-baseline-plain",
        "W1b, tf-baseline-block",
        "W2, tf-baseline-block",
        "W1b, tf-baseline-gate-major",
        "W2, tf-baseline-gate-major",
        "W1, rnn4j-tf",
        "W1b, rnn4j-tf",
        "W2, rnn4j-tf",
        "W1, dl4j-baseline",
        "W1b, dl4j-baseline",
        "W2, dl4j-baseline",
        "W1, rnn4j-dl4j",
        "W1b, rnn4j-dl4j",
        "W2, rnn4j-dl4j",
        "W1, dl4j-baseline-1t",
    })
    void trainingWorkloadRuns(String workload, String impl) {
        ObjectNode r = small(workload, impl);
        LINES.add(r.toString());
        assertFalse(r.has("error"), () -> r.toString());
        assertTrue(r.get("samples_per_s_median").asDouble() > 0, () -> "no positive rate in " + r);
        assertEquals(6, r.get("epoch_seconds").size());
        assertEquals(1, r.get("epoch_batches").get(5).asInt(), "tail epochs run --tail-batches batches");
        assertTrue(Double.isFinite(r.get("epoch_loss").get(0).asDouble()), () -> "loss is not finite in " + r);
        assertTrue(r.get("first_batch_s").asDouble() > 0);
        assertTrue(r.get("rss_mb_epoch5").asDouble() > 0, "resident memory is read from /proc on Linux");
        // Each epoch's peak: at least what is resident after it, and never above the process's peak.
        double peak5 = r.get("rss_peak_mb_epoch5").asDouble();
        assertTrue(peak5 >= r.get("rss_mb_epoch5").asDouble(), () -> "epoch 5's peak below its end: " + r);
        assertTrue(peak5 <= r.get("peak_rss_mb").asDouble(), () -> "epoch 5's peak above the process's: " + r);
    }

    /**
     * {@code --warmup-seconds}: the warm-up runs until that much training time has passed; each epoch it adds goes
     * in front of the protocol, whose timed and tail epochs and memory reading follow unchanged.
     */
    @Test
    void warmupLastsTheSecondsAsked() {
        ObjectNode r = Harness.run(Options.parse(
                "--workload",
                "W1",
                "--impl",
                "rnn4j-dl4j",
                "--small",
                "--epochs",
                "7",
                "--warmup",
                "1",
                "--timed",
                "1",
                "--batches",
                "2",
                "--tail-batches",
                "1",
                "--warmup-seconds",
                "1.5"));
        int warmup = r.get("warmup").asInt();
        int added = warmup - 1;
        assertTrue(added > 0, () -> "--small W1 epochs are milliseconds, so 1.5 s takes more than one: " + r);
        double warmed = r.get("warmup_s").asDouble();
        double last = r.get("epoch_seconds").get(warmup - 1).asDouble();
        assertTrue(warmed >= 1.5, () -> "the warm-up ended before 1.5 s: " + r);
        // 1e-5: warmup_s and epoch_seconds are rounded.
        assertTrue(warmed - last < 1.5 + 1e-5, () -> "the warm-up ran an epoch past 1.5 s: " + r);
        // It counts from the end of the first batch: the warm-up epochs' time less the first batch's.
        double epochsTime = 0;
        for (int e = 0; e < warmup; e++) {
            epochsTime += r.get("epoch_seconds").get(e).asDouble();
        }
        double first = r.get("first_batch_in_epoch_s").asDouble();
        assertTrue(first > 0, () -> "no first batch time in " + r);
        // warmup_s and each epoch's seconds are rounded to 1e-6.
        double rounding = 5e-7 * (warmup + 1);
        assertTrue(first > 2 * rounding, () -> "the first batch (it builds the graph) too short to tell: " + r);
        assertEquals(epochsTime - first, warmed, rounding, () -> "warm-up time in " + r);
        assertEquals(7 + added, r.get("epochs").asInt());
        assertEquals(7 + added, r.get("epoch_seconds").size());
        for (int e = 0; e < 7 + added; e++) {
            int expected = e <= warmup ? 2 : 1; // warm-up and the timed epoch, then the tail
            assertEquals(expected, r.get("epoch_batches").get(e).asInt(), "epoch " + e + " of " + r);
        }
        assertEquals(1, r.get("samples_per_s").size());
        assertEquals(1, r.get("memory_after_epochs").size());
        assertEquals(5 + added, r.get("memory_after_epochs").get(0).asInt());
        assertEquals(
                r.get("rss_mb_after_epoch").get(4 + added).asDouble(),
                r.get("rss_mb_epoch5").asDouble(),
                "memory is read after the protocol's epoch 5, behind the added warm-up");
        assertEquals(7 + added, r.get("rss_peak_mb_in_epoch").size());
        assertEquals(
                r.get("rss_peak_mb_in_epoch").get(4 + added).asDouble(),
                r.get("rss_peak_mb_epoch5").asDouble(),
                "the peak too");
    }

    /**
     * Interleaved timing attributes each implementation its own calls: three busy-waits of known length come
     * back in their order, at least as long as they wait, over whole cycles of rounds.
     */
    @Test
    void interleavingAttributesEachStepItsOwnTime() {
        long[] waits = {20_000, 200_000, 80_000}; // ns
        List<IntSupplier> steps = new ArrayList<>();
        for (long wait : waits) {
            steps.add(() -> {
                long until = System.nanoTime() + wait;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return 1;
            });
        }
        ObjectNode r = Harness.interleave(List.of("a", "b", "c"), steps, 0, 0.01, 5);
        int rounds = r.get("rounds").asInt();
        assertTrue(rounds >= 6 && rounds % 6 == 0, () -> "three implementations cycle in 6 rounds: " + r);
        double a = r.get("median_ms").get("a").asDouble();
        double b = r.get("median_ms").get("b").asDouble();
        double c = r.get("median_ms").get("c").asDouble();
        assertTrue(a >= 0.02 && c >= 0.08 && b >= 0.2, () -> "a step timed shorter than it waits: " + r);
        assertTrue(a < c && c < b, () -> "the medians are not in the waits' order: " + r);
        assertEquals(rounds, r.get("round_median_ms").get("b").size());
    }

    /** Over a cycle every order is a permutation and each implementation runs right after each other equally often. */
    @Test
    void roundOrdersAreBalanced() {
        for (int n = 2; n <= 6; n++) {
            int cycle = n % 2 == 0 ? n : 2 * n;
            int[][] follows = new int[n][n];
            for (int round = 0; round < cycle; round++) {
                int[] order = Harness.roundOrder(n, round);
                assertEquals(n, Arrays.stream(order).distinct().count(), "not a permutation");
                for (int k = 1; k < n; k++) {
                    follows[order[k - 1]][order[k]]++;
                }
            }
            int expected = cycle / n;
            for (int x = 0; x < n; x++) {
                for (int y = 0; y < n; y++) {
                    assertEquals(x == y ? 0 : expected, follows[x][y], "n=" + n + ": " + y + " after " + x);
                }
            }
        }
    }

    private static ObjectNode small(String workload, String impl) {
        return Harness.run(Options.parse(
                "--workload",
                workload,
                "--impl",
                impl,
                "--small",
                "--epochs",
                "6",
                "--warmup",
                "1",
                "--timed",
                "2",
                "--tail-batches",
                "1"));
    }

    /**
     * The hand-written TensorFlow forms are one model written four ways (three for W1): from the same initial
     * weights and batches, their losses agree within float32 rounding after several Adam steps,
     * which they only do if every form's gradient (the fused one's is wired by hand) is right.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"W1", "W1b", "W2"})
    void handWrittenTensorFlowFormsTrainAlike(String workload) {
        double[] hoisted = losses(small(workload, "tf-baseline"));
        for (String form : workload.equals("W1")
                ? new String[] {"tf-baseline-plain"}
                : new String[] {"tf-baseline-plain", "tf-baseline-block", "tf-baseline-gate-major"}) {
            double[] other = losses(small(workload, form));
            for (int e = 0; e < hoisted.length; e++) {
                assertEquals(hoisted[e], other[e], 2e-4 * Math.abs(hoisted[e]), form + " epoch " + e);
            }
        }
        // Later epochs have moved: a form whose gradient were zero would match epoch 0 only.
        assertTrue(
                Math.abs(hoisted[5] - hoisted[0]) > 1e-3 * Math.abs(hoisted[0]),
                () -> "no learning in " + java.util.Arrays.toString(hoisted));
    }

    private static double[] losses(ObjectNode r) {
        assertFalse(r.has("error"), () -> r.toString());
        double[] l = new double[r.get("epoch_loss").size()];
        for (int e = 0; e < l.length; e++) {
            l[e] = r.get("epoch_loss").get(e).asDouble();
        }
        return l;
    }

    @ParameterizedTest(name = "P on {0}")
    @CsvSource({
        "tf-baseline",
        "tf-baseline-plain",
        "tf-baseline-block",
        "tf-baseline-gate-major",
        "rnn4j-tf",
        "dl4j-baseline",
        "rnn4j-dl4j"
    })
    void inferenceRuns(String impl) {
        ObjectNode r = Harness.run(
                Options.parse("--workload", "P", "--impl", impl, "--small", "--seconds", "0.05", "--repeats", "5"));
        LINES.add(r.toString());
        for (String c : new String[] {"forecast_one", "forecast_batch", "next_char"}) {
            assertTrue(r.get(c).get("median_ms").asDouble() > 0, () -> c + " has no latency in " + r);
            assertTrue(r.get(c).get("items_per_s").asDouble() > 0);
        }
        if (impl.contains("baseline")) {
            assertTrue(r.get("generation_step").get("median_ms").asDouble() > 0, () -> "no generation step in " + r);
        }
    }

    /** gen: every TensorFlow implementation's generation step, round by round in this JVM. */
    @Test
    void generationStepsInterleave() {
        ObjectNode r = Harness.run(Options.parse(
                "--workload", "gen", "--impl", "rnn4j-tf", "--small", "--seconds", "0.05", "--repeats", "4"));
        LINES.add(r.toString());
        int rounds = r.get("rounds").asInt();
        assertTrue(rounds >= 3, () -> "fewer than 3 rounds: " + r);
        assertEquals(4, r.get("calls_per_round").asInt());
        for (Impl impl : Harness.GENERATION_STEP_IMPLS) {
            assertTrue(r.get("median_ms").get(impl.id()).asDouble() > 0, () -> impl + " has no step in " + r);
            assertEquals(rounds, r.get("round_median_ms").get(impl.id()).size());
        }
        assertEquals(4, r.get("median_ms").size());
    }

    /**
     * --interleaved: rnn4j-tf and each hand-written form of the workload trained round by round in this JVM, each rate
     * its samples over its median round, the ratio against the fastest of the hand-written ones.
     */
    @ParameterizedTest(name = "{0} interleaved")
    @CsvSource({"W1", "W1b"})
    void trainingInterleaves(String workload) {
        ObjectNode r = Harness.run(Options.parse(
                "--workload",
                workload,
                "--impl",
                "rnn4j-tf",
                "--small",
                "--interleaved",
                "--batches",
                "2",
                "--seconds",
                "0.05",
                "--variant",
                "interleaved"));
        LINES.add(r.toString());
        List<Impl> forms = Harness.handWrittenTf(Workload.parse(workload));
        assertEquals(workload.equals("W1") ? 2 : 4, forms.size());
        int rounds = r.get("rounds").asInt();
        // Whole cycles of the round order: 2 (W1, 3 entries, odd: twice 3) or 5 entries (10).
        assertEquals(0, rounds % (workload.equals("W1") ? 6 : 10), () -> "not whole cycles: " + r);
        double best = 0;
        String bestId = null;
        for (Impl impl : forms) {
            JsonNode rounds0 = r.get("round_median_ms").get(impl.id());
            assertEquals(rounds, rounds0.size(), () -> impl + " missed rounds in " + r);
            double ms = r.get("median_ms").get(impl.id()).asDouble();
            // 2 batches of 4 samples (the small sizes) in the median round.
            double rate = 2 * 4 * 1000 / ms;
            assertEquals(rate, r.get("samples_per_s_median").get(impl.id()).asDouble(), rate * 1e-3);
            if (rate > best) {
                best = rate;
                bestId = impl.id();
            }
        }
        assertEquals(bestId, r.get("fastest_hand_written").asText());
        double mine = 2 * 4 * 1000 / r.get("median_ms").get("rnn4j-tf").asDouble();
        assertEquals(mine / best, r.get("ratio_vs_fastest_hand_written").asDouble(), 1e-3);
    }

    @ParameterizedTest(name = "matmul on {0}")
    @CsvSource({"tf-baseline", "dl4j-baseline", "dl4j-baseline-1t"})
    void matmulRuns(String impl) {
        ObjectNode r = Harness.run(Options.parse("--workload", "matmul", "--impl", impl, "--small", "--repeats", "2"));
        LINES.add(r.toString());
        if (impl.endsWith("-1t")) {
            assertEquals(
                    "dl4j 1 op / 1 BLAS thread(s)",
                    r.get("threads").asText(),
                    "the -1t baseline pins ND4J to one thread");
        }
        assertEquals(256, r.get("n").asInt());
        assertTrue(r.get("best_gflops").asDouble() > 0);
    }

    @Test
    void optionsRejectWhatTheyCannotRun() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Options.parse("--workload", "W3", "--impl", "rnn4j-tf"));
        assertEquals("unknown workload 'W3'; known: [W1, W1b, W2, P, gen, matmul]", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Options.parse("--workload", "W1", "--impl", "rnn4j-tf", "--epochs", "2", "--warmup", "2"));
        assertEquals("--warmup must be in [0, epochs), got 2 with --epochs 2", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> Options.parse("--workload", "gen", "--impl", "tf-baseline"));
        assertTrue(e.getMessage().endsWith("run it with --impl rnn4j-tf"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Options.parse("--workload", "W1", "--impl", "rnn4j-tf", "--warmup-seconds", "-1"));
        assertEquals("--warmup-seconds must be a number >= 0, got -1.0", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Options.parse(
                        "--workload", "W1", "--impl", "rnn4j-tf", "--warmup", "0", "--warmup-seconds", "5"));
        assertTrue(e.getMessage().startsWith("--warmup-seconds lengthens a warm-up"), e.getMessage());
        for (String[] wrong : new String[][] {{"W2", "tf-baseline"}, {"P", "rnn4j-tf"}, {"W1b", "rnn4j-dl4j"}}) {
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> Options.parse("--workload", wrong[0], "--impl", wrong[1], "--interleaved"));
            assertTrue(e.getMessage().endsWith("run it with --workload W1|W1b|W2 --impl rnn4j-tf"), e.getMessage());
        }
    }

    @Test
    void flopsFollowTheDerivationInBenchmarksMd() {
        assertEquals(33_060L, Workload.W1.trainingFlopsPerSample(false));
        assertEquals(9_060_300L, Workload.W1B.trainingFlopsPerSample(false));
        assertEquals(206_592_000L, Workload.W2.trainingFlopsPerSample(false));
    }

    @AfterAll
    static void reportRendersTheRuns() throws Exception {
        String md = Report.render(LINES);
        assertTrue(md.contains("### W2"), md);
        assertTrue(md.contains("### Targets"), md);
        assertTrue(md.contains("Fastest hand-written TensorFlow form: tf-baseline"), md);
        assertTrue(md.contains("W2 generation step interleaved in one JVM (gen)"), md);
        assertTrue(md.contains("interleaved in one JVM: "), md);
        assertTrue(md.contains("W1b interleaved in one JVM: "), md);
        assertTrue(md.contains("form on W1b (interleaved in one JVM) | "), md);
    }
}
