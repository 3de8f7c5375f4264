package org.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report's verdicts from hand-made result lines whose ratios are worked out by hand: rnn4j-tf
 * is held against the fastest hand-written form (not the first), and runs with a variant label
 * (one core) stay out of the main tables and feed the core-scaling target.
 */
class ReportTest {
    private static String line(String workload, String impl, double rate, String extra) {
        return "{\"workload\":\"" + workload + "\",\"impl\":\"" + impl + "\",\"cores\":2,\"samples_per_s_median\":"
                + rate + extra + "}";
    }

    /** A row run twice counts with its faster run, on every side of a ratio, and the report lists both. */
    @Test
    void aRepeatedRunCountsWithItsFasterRun() throws Exception {
        String md = Report.render(List.of(
                line("W1b", "tf-baseline-plain", 400, ""),
                line("W1b", "rnn4j-tf", 380, ""),
                line("W1b", "tf-baseline-block", 300, ""),
                // The repeats, in reverse order: rnn4j-tf 480 > 380, plain 440 > 400, block slower.
                line("W1b", "rnn4j-tf", 480, ""),
                "{\"workload\":\"W1b\",\"impl\":\"tf-baseline-block\",\"error\":\"exit 1 without a result\"}",
                line("W1b", "tf-baseline-plain", 440, "")));
        // 480 / 440 = 1.09.
        assertTrue(
                md.contains("| rnn4j-tf >= 1.0x the fastest hand-written TensorFlow form on W1b | 1.09x (of "
                        + "tf-baseline-plain) | **MET** |"),
                md);
        assertTrue(md.contains("rnn4j-tf ran 2 times: 380.0 / 480.0 samples/s"), md);
        assertTrue(md.contains("tf-baseline-block ran 2 times: 300.0 / error samples/s"), md);
        assertTrue(md.contains("| tf-baseline-block | 300.0"), md);
    }

    /**
     * With a gen line the generation-step target compares medians taken in one JVM: rnn4j-tf against the form with
     * the lowest median (plain here, not the first listed), whatever the P rows from separate JVMs read.
     */
    @Test
    void theGenerationStepTargetReadsTheInterleavedRounds() throws Exception {
        String gen = "{\"workload\":\"gen\",\"impl\":\"rnn4j-tf\",\"cores\":2,\"rounds\":5,"
                + "\"calls_per_round\":1000,\"median_ms\":{\"rnn4j-tf\":0.05,\"tf-baseline\":0.06,"
                + "\"tf-baseline-plain\":0.052,\"tf-baseline-block\":0.07},\"round_median_ms\":{"
                + "\"rnn4j-tf\":[0.05,0.049,0.051,0.05,0.055],\"tf-baseline\":[0.06,0.06,0.06,0.06,0.06],"
                + "\"tf-baseline-plain\":[0.052,0.05,0.053,0.052,0.054],\"tf-baseline-block\":[0.07,0.07,0.07,0.07,0.07]}}";
        // Separate JVMs: rnn4j-tf slower than plain, which the interleaved line overrules.
        String pMine = "{\"workload\":\"P\",\"impl\":\"rnn4j-tf\",\"generation_step\":{\"median_ms\":0.08}}";
        String pPlain = "{\"workload\":\"P\",\"impl\":\"tf-baseline-plain\",\"generation_step\":{\"median_ms\":0.07}}";
        String md = Report.render(List.of(pMine, pPlain, gen));
        // 0.052 / 0.050 = 1.04.
        assertTrue(
                md.contains(
                        "| 0.0500 vs 0.0520 ms (tf-baseline-plain), medians of 5 rounds of 1000 calls interleaved in"
                                + " one JVM: 1.04x | **MET** |"),
                md);
        assertTrue(md.contains("| tf-baseline-plain | 0.0520 | 0.0500 | 0.0540 |"), md);
        // Without it, the P rows decide: 0.07 / 0.08 = 0.88.
        String fromP = Report.render(List.of(pMine, pPlain));
        assertTrue(fromP.contains("0.080 vs 0.070 ms (tf-baseline-plain): 0.88x | **NOT MET** |"), fromP);
        // A failed gen run is a failed measurement, not a cue to fall back on the P rows.
        String failed = Report.render(List.of(
                pMine, pPlain, "{\"workload\":\"gen\",\"impl\":\"rnn4j-tf\",\"error\":\"exit 1 without a result\"}"));
        assertTrue(failed.contains("| gen failed: exit 1 without a result | **NOT MET** |"), failed);
        // A form without a median is no winner.
        String partial = Report.render(List.of(gen.replace("\"tf-baseline-plain\":0.052,", "")));
        assertTrue(partial.contains("0.0500 vs 0.0600 ms (tf-baseline)"), partial);
    }

    /**
     * Where a workload's interleaved row ran, its ratio (every form over the same rounds in one JVM) decides the
     * target, whatever the separate JVMs read; they are still shown beside it, and the interleaved row stays out of
     * the other tables.
     */
    @Test
    void theTrainingTargetReadsTheInterleavedRounds() throws Exception {
        String together = "{\"workload\":\"W1b\",\"impl\":\"rnn4j-tf\",\"cores\":2,\"variant\":\"interleaved\","
                + "\"interleaved\":true,\"batches_per_round\":25,\"rounds\":10,"
                + "\"median_ms\":{\"rnn4j-tf\":200.0,\"tf-baseline-plain\":210.0,\"tf-baseline-block\":250.0},"
                + "\"round_median_ms\":{\"rnn4j-tf\":[190.0,200.0,230.0],\"tf-baseline-plain\":[205.0,210.0,220.0],"
                + "\"tf-baseline-block\":[250.0,250.0,260.0]},"
                + "\"samples_per_s_median\":{\"rnn4j-tf\":4000.0,\"tf-baseline-plain\":3809.52,"
                + "\"tf-baseline-block\":3200.0},\"fastest_hand_written\":\"tf-baseline-plain\","
                + "\"ratio_vs_fastest_hand_written\":1.05}";
        List<String> separate = List.of(line("W1b", "rnn4j-tf", 3000, ""), line("W1b", "tf-baseline-plain", 3500, ""));
        String md = Report.render(List.of(separate.get(0), separate.get(1), together));
        // 3000 / 3500 = 0.86 in separate JVMs; 210 / 200 = 1.05 interleaved.
        assertTrue(
                md.contains(
                        "| rnn4j-tf >= 1.0x the fastest hand-written TensorFlow form on W1b (interleaved in one JVM) "
                                + "| 1.05x (of tf-baseline-plain); separate JVMs: 0.86x (of tf-baseline-plain) | **MET** |"),
                md);
        // 3809.52 / 4000 = 0.95; the rounds' extremes.
        assertTrue(md.contains("| tf-baseline-plain | 3809.5 | 210.00 | 205.00 | 220.00 | 0.95x |"), md);
        assertTrue(md.contains("W1b interleaved in one JVM: 10 rounds of 25 batches each"), md);
        // Not a thread variant, and not a rate of the main table.
        assertTrue(!md.contains("| W1b | rnn4j-tf | interleaved |"), md);
        assertTrue(md.contains("| rnn4j-tf | 3000.0 |"), md);
        // Without it, the separate JVMs decide.
        String alone = Report.render(separate);
        assertTrue(
                alone.contains("| rnn4j-tf >= 1.0x the fastest hand-written TensorFlow form on W1b | 0.86x (of "
                        + "tf-baseline-plain) | **NOT MET** |"),
                alone);
        // A failed interleaved row (as run.sh writes one for a JVM that died: the variant, no interleaved flag) is
        // shown, and the target is not met: the separate JVMs' reading is no stand-in, though it is shown.
        String failed = Report.render(List.of(
                separate.get(0),
                separate.get(1),
                "{\"workload\":\"W1b\",\"impl\":\"rnn4j-tf\",\"variant\":\"interleaved\","
                        + "\"error\":\"exit 137 without a result\"}"));
        assertTrue(failed.contains("Interleaved in one JVM: failed: exit 137 without a result"), failed);
        assertTrue(
                failed.contains("form on W1b (interleaved in one JVM) | interleaved failed: exit 137 without a result;"
                        + " separate JVMs: 0.86x (of tf-baseline-plain) | **NOT MET** |"),
                failed);
        assertTrue(!failed.contains("| W1b | rnn4j-tf | interleaved |"), failed);
    }

    /**
     * Where a row has each epoch's peak, the memory target reads the peaks (a reading after an epoch can land in a
     * dip between a trim and the next step) and shows the readings after the epochs beside them.
     */
    @Test
    void theMemoryTargetReadsEachEpochsPeak() throws Exception {
        // After the epochs 774 -> 841 (+8.7%, a dip at epoch 5); peaks 845 -> 850 (+0.6%).
        String dip = line(
                "W2",
                "rnn4j-tf",
                600,
                ",\"rss_mb_epoch5\":774,\"rss_mb_epoch20\":841,"
                        + "\"rss_peak_mb_epoch5\":845,\"rss_peak_mb_epoch20\":850");
        String md = Report.render(List.of(dip));
        assertTrue(
                md.contains(
                        "| RSS of epoch 20 within 5% of epoch 5 (each epoch's peak): W2 rnn4j-tf | 845 -> 850 MB (+0.6%);"
                                + " after the epochs 774 -> 841 MB (+8.7%) | **MET** |"),
                md);
        // A leak raises the peak: 845 -> 900 is +6.5%.
        String leak = line(
                "W2",
                "rnn4j-tf",
                600,
                ",\"rss_mb_epoch5\":840,\"rss_mb_epoch20\":842,"
                        + "\"rss_peak_mb_epoch5\":845,\"rss_peak_mb_epoch20\":900");
        assertTrue(Report.render(List.of(leak))
                .contains("845 -> 900 MB (+6.5%); after the epochs 840 -> 842 MB (+0.2%) | **NOT MET** |"));
        // Rows from before round sixteen, without peaks, are read after the epochs.
        String old = line("W2", "rnn4j-tf", 600, ",\"rss_mb_epoch5\":774,\"rss_mb_epoch20\":841");
        assertTrue(
                Report.render(List.of(old))
                        .contains(
                                "| RSS after epoch 20 within 5% of epoch 5: W2 rnn4j-tf | 774 -> 841 MB (+8.7%) | **NOT MET** |"));
    }

    /** The epochs column names the tail epochs a row ran, and says so when it ran none. */
    @Test
    void theEpochsColumnShowsTheTailOrItsAbsence() throws Exception {
        String md = Report.render(List.of(
                line(
                        "W2",
                        "rnn4j-dl4j",
                        250,
                        ",\"epochs\":20,\"warmup\":3,\"timed\":3,\"timed_batches\":4," + "\"tail_batches\":2"),
                line(
                        "W2",
                        "dl4j-baseline",
                        25,
                        ",\"epochs\":4,\"warmup\":1,\"timed\":3,\"timed_batches\":4," + "\"tail_batches\":64")));
        // rnn4j-dl4j: 20 - 3 - 3 = 14 tail epochs of 2 batches; the baseline: 4 - 1 - 3 = 0.
        assertTrue(md.contains("| 3 + 3 x 4, 14 x 2 |"), md);
        assertTrue(md.contains("| 1 + 3 x 4, no tail |"), md);
    }

    /**
     * The core ratio takes the best of the "2core" repeats (not the main row, which ran minutes
     * earlier) over the best 1-core run, and the repeats never stand in for the main row elsewhere.
     */
    @Test
    void theCoreRatioTakesTheBestRunOnEachSide() throws Exception {
        String md = Report.render(List.of(
                line("W2", "rnn4j-dl4j", 300, ""),
                line("W2", "dl4j-baseline-1t", 100, ""),
                "{\"workload\":\"W2\",\"impl\":\"rnn4j-dl4j\",\"variant\":\"1core\",\"cores\":1,"
                        + "\"samples_per_s_median\":160}",
                "{\"workload\":\"W2\",\"impl\":\"rnn4j-dl4j\",\"variant\":\"2core\",\"cores\":2,"
                        + "\"samples_per_s_median\":250}",
                "{\"workload\":\"W2\",\"impl\":\"rnn4j-dl4j\",\"variant\":\"2core\",\"cores\":2,"
                        + "\"samples_per_s_median\":270}",
                "{\"workload\":\"W2\",\"impl\":\"rnn4j-dl4j\",\"variant\":\"1core\",\"cores\":1,"
                        + "\"samples_per_s_median\":150}"));
        // 270 / 160 = 1.69 (with the main row it would be 300 / 160 = 1.88; with the last 1-core run, 1.80).
        assertTrue(md.contains("| W2 on 2 cores >= 1.6x its 1-core rate (rnn4j-dl4j) | 1.69x | **MET** |"), md);
        // The 2x target reads the main row: 300 / 100.
        assertTrue(
                md.contains("| rnn4j-dl4j >= 2x dl4j-baseline-1t samples/s on W2 (the baseline pinned to 1 thread, "
                        + "as rnn4j) | 3.00x | **MET** |"),
                md);
    }

    @Test
    void rnn4jIsHeldAgainstTheFastestFormAndOneCoreRunsFeedTheScalingTarget() throws Exception {
        String md = Report.render(List.of(
                line("W2", "rnn4j-tf", 500, ""),
                line("W2", "tf-baseline", 400, ""),
                line("W2", "tf-baseline-plain", 625, ""),
                line("W2", "tf-baseline-block", 550, ""),
                // One core: 500 / 200 = 2.50x for rnn4j-tf; a variant must not replace the default row.
                "{\"workload\":\"W2\",\"impl\":\"rnn4j-tf\",\"variant\":\"1core\",\"cores\":1,"
                        + "\"samples_per_s_median\":200}",
                line("W2", "rnn4j-dl4j", 300, ""),
                "{\"workload\":\"W2\",\"impl\":\"rnn4j-dl4j\",\"variant\":\"1core\",\"cores\":1,"
                        + "\"samples_per_s_median\":250}",
                // The set in two parts: 270 + 330 s = 10.0 min.
                "{\"workload\":\"run\",\"seconds\":270}",
                "{\"workload\":\"run\",\"seconds\":330}"));
        // 500 / 625 = 0.80.
        assertTrue(
                md.contains("| rnn4j-tf >= 1.0x the fastest hand-written TensorFlow form on W2 | 0.80x (of "
                        + "tf-baseline-plain) | **NOT MET** |"),
                md);
        assertTrue(
                md.contains("Fastest hand-written TensorFlow form: tf-baseline-plain (625.0 samples/s); "
                        + "rnn4j-tf at 0.80x of it."),
                md);
        assertTrue(md.contains("| W2 on 2 cores >= 1.6x its 1-core rate (rnn4j-tf) | 2.50x | **MET** |"), md);
        // 300 / 250 = 1.20.
        assertTrue(md.contains("| W2 on 2 cores >= 1.6x its 1-core rate (rnn4j-dl4j) | 1.20x | **NOT MET** |"), md);
        assertTrue(md.contains("| W2 | rnn4j-tf | 1core | 1 |"), md);
        assertTrue(md.contains("| rnn4j-tf | 500.0"), md);
        assertTrue(md.contains("under 15 minutes | 10.0 min (2 parts, summed) | **MET** |"), md);
    }
}
