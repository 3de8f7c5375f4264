package org.rnn4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Turns the JSON lines of one {@code run.sh} run into the markdown tables of BENCHMARKS.md: the
 * matmul peaks, one table per training workload (every hand-written TensorFlow form, with the
 * fastest named), the inference table, the thread table (one core against all, deterministic
 * settings), and every target marked MET or NOT MET with its measured ratio. Lines that are not
 * JSON objects are ignored. Rows with a {@code variant} label (other settings than the defaults)
 * appear only in the thread table, but for the {@code --interleaved} rows, which have their own.
 *
 * <pre>java -cp ... org.rnn4j.bench.Report benchmarks/results/2026-11-26.jsonl</pre>
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The hand-written TensorFlow forms; rnn4j-tf is held against the fastest of them per workload. */
    static final String[] TF_BASELINES = {
        "tf-baseline", "tf-baseline-plain", "tf-baseline-block", "tf-baseline-gate-major"
    };

    private static final String GENERATION_STEP_TARGET =
            "W2 generation step (one character, state carried): rnn4j-tf at least as fast as the fastest hand-written "
                    + "TensorFlow";
    private static final String[] IMPLS = {
        "rnn4j-tf",
        "tf-baseline",
        "tf-baseline-plain",
        "tf-baseline-block",
        "tf-baseline-gate-major",
        "rnn4j-dl4j",
        "dl4j-baseline",
        "dl4j-baseline-1t"
    };
    private static final String[] TRAINING = {"W1", "W1b", "W2"};

    private final List<JsonNode> rows;
    /** The {@code --interleaved} rows (rnn4j-tf and the hand-written forms in one JVM), kept apart from the rest. */
    private final List<JsonNode> interleaved;

    private final StringBuilder out = new StringBuilder();

    Report(List<JsonNode> rows) {
        this.rows = rows.stream().filter(r -> !isInterleaved(r)).toList();
        this.interleaved = rows.stream().filter(Report::isInterleaved).toList();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Report <results.jsonl>");
            System.exit(2);
        }
        System.out.print(render(Files.readAllLines(Path.of(args[0]))));
    }

    /** The markdown for the given lines. */
    public static String render(List<String> lines) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : lines) {
            String t = line.trim();
            if (t.startsWith("{")) {
                rows.add(JSON.readTree(t));
            }
        }
        return new Report(rows).render();
    }

    String render() {
        matmul();
        for (String w : TRAINING) {
            training(w);
            interleavedTraining(w);
        }
        inference();
        threads();
        targets();
        return out.toString();
    }

    /** An {@code --interleaved} row: the harness's, or run.sh's line for a JVM that ended without one. */
    private static boolean isInterleaved(JsonNode r) {
        return r.path("interleaved").asBoolean() || r.path("variant").asText().equals("interleaved");
    }

    private static boolean isMain(JsonNode r) {
        return !r.has("variant");
    }

    /** The run of a workload and implementation at the default settings. */
    private Optional<JsonNode> find(String workload, String impl) {
        return find(workload, impl, null);
    }

    /**
     * The run of a workload and implementation with the given variant label (null: the default
     * settings). When it ran more than once (run.sh repeated W1b's and W1's TensorFlow rows until round fifteen),
     * the run with the highest median rate among those that gave a result: every side of a ratio gets the same
     * best-of-N, and on this machine the same graph ran 30% slower in one JVM than in the next.
     */
    private Optional<JsonNode> find(String workload, String impl, String variant) {
        List<JsonNode> runs = runs(workload, impl, variant);
        return runs.stream()
                .filter(r -> !r.has("error"))
                .max(Comparator.comparingDouble(
                        r -> r.path("samples_per_s_median").asDouble()))
                .or(() -> runs.stream().findFirst());
    }

    /** Every run of a workload and implementation with the given variant label, in the order they ran. */
    private List<JsonNode> runs(String workload, String impl, String variant) {
        return rows.stream()
                .filter(r -> r.path("workload").asText().equals(workload)
                        && r.path("impl").asText().equals(impl))
                .filter(r ->
                        variant == null ? isMain(r) : r.path("variant").asText().equals(variant))
                .toList();
    }

    private Optional<JsonNode> ok(String workload, String impl) {
        return find(workload, impl).filter(r -> !r.has("error"));
    }

    private double machinePeak() {
        return rows.stream()
                .filter(r -> r.path("workload").asText().equals("matmul") && !r.has("error"))
                .mapToDouble(r -> r.path("best_gflops").asDouble())
                .max()
                .orElse(Double.NaN);
    }

    /**
     * The best matmul of the same engine and thread settings as a run, else NaN. For ND4J only the
     * BLAS thread count matters to a matmul, so rows are matched on that.
     */
    private double enginePeak(JsonNode run) {
        return rows.stream()
                .filter(r -> r.path("workload").asText().equals("matmul") && !r.has("error"))
                .filter(r -> r.path("engine").asText().equals(engineOf(run)))
                .filter(r -> run.has("blas_threads")
                        ? r.has("blas_threads")
                                && r.path("blas_threads").asInt()
                                        == run.path("blas_threads").asInt()
                        : r.path("threads").asText().equals(run.path("threads").asText()))
                .mapToDouble(r -> r.path("best_gflops").asDouble())
                .max()
                .orElse(Double.NaN);
    }

    private static String engineOf(JsonNode run) {
        return run.path("impl").asText().contains("tf") ? "tf" : "dl4j";
    }

    private void matmul() {
        out.append("### Matmul peak (2048 x 2048 x 2048, float32)\n\n");
        out.append("| engine | threads | native build | best GFLOP/s | median GFLOP/s |\n|---|---|---|---:|---:|\n");
        for (JsonNode r : rows) {
            if (r.path("workload").asText().equals("matmul")) {
                if (r.has("error")) {
                    out.append("| ")
                            .append(r.path("impl").asText())
                            .append(" | failed: ")
                            .append(r.path("error").asText())
                            .append(" ||||\n");
                    continue;
                }
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %s | %.1f | %.1f |%n",
                        r.path("engine").asText(),
                        r.path("threads").asText(),
                        r.path("native_build").asText("-"),
                        r.path("best_gflops").asDouble(),
                        r.path("median_gflops").asDouble()));
            }
        }
        out.append('\n');
    }

    /** The fastest hand-written TensorFlow form on a training workload (highest median rate), if any ran. */
    private Optional<JsonNode> fastestTfBaseline(String w) {
        return fastest(w, r -> r.path("samples_per_s_median").asDouble());
    }

    private Optional<JsonNode> fastest(String w, java.util.function.ToDoubleFunction<JsonNode> rate) {
        List<JsonNode> ran = new ArrayList<>();
        for (String impl : TF_BASELINES) {
            ok(w, impl).ifPresent(ran::add);
        }
        return ran.stream().max(Comparator.comparingDouble(rate));
    }

    /** The interleaved row of a training workload, if it ran without an error. */
    private Optional<JsonNode> interleavedRow(String w) {
        return interleaved.stream()
                .filter(r -> r.path("workload").asText().equals(w) && !r.has("error"))
                .findFirst();
    }

    /** The interleaved row of a training workload that failed, if one did. */
    private Optional<JsonNode> interleavedFailure(String w) {
        return interleaved.stream()
                .filter(r -> r.path("workload").asText().equals(w) && r.has("error"))
                .findFirst();
    }

    /** A training workload's {@code --interleaved} row: every form's rate over the same rounds. */
    private void interleavedTraining(String w) {
        interleavedFailure(w)
                .ifPresent(r -> out.append("Interleaved in one JVM: failed: ")
                        .append(r.path("error").asText())
                        .append("\n\n"));
        Optional<JsonNode> row = interleavedRow(w);
        if (row.isEmpty()) {
            return;
        }
        JsonNode r = row.get();
        out.append(String.format(
                Locale.ROOT,
                "%s interleaved in one JVM: %d rounds of %d batches each, every form after every other alike%n%n",
                w,
                r.path("rounds").asInt(),
                r.path("batches_per_round").asInt()));
        out.append(
                "| impl | samples/s (median round) | median round ms | fastest round ms | slowest round ms | vs rnn4j-tf |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        double own = r.path("samples_per_s_median").path("rnn4j-tf").asDouble();
        for (var it = r.path("round_median_ms").fields(); it.hasNext(); ) {
            var e = it.next();
            DoubleSummaryStatistics rounds = new DoubleSummaryStatistics();
            e.getValue().forEach(v -> rounds.accept(v.asDouble()));
            double rate = r.path("samples_per_s_median").path(e.getKey()).asDouble();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.2f | %.2f | %.2f | %.2fx |%n",
                    e.getKey(),
                    rate,
                    r.path("median_ms").path(e.getKey()).asDouble(),
                    rounds.getMin(),
                    rounds.getMax(),
                    rate / own));
        }
        out.append('\n');
    }

    private void training(String w) {
        out.append("### ").append(w).append("\n\n");
        out.append(
                "| impl | samples/s (median) | s/epoch | GFLOP/s | % engine peak | % machine peak | RSS@5 MB | RSS@20 MB | RSS 5->20 "
                        + "| heap@5 -> @20 MB | peak RSS MB | first batch s | epochs (warm-up + timed x batches, tail x batches) |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (String impl : IMPLS) {
            Optional<JsonNode> found = find(w, impl);
            if (found.isEmpty()) {
                if (!impl.startsWith("tf-baseline-")) {
                    out.append("| ").append(impl).append(" | not run ||||||||||||\n");
                }
                continue;
            }
            JsonNode r = found.get();
            if (r.has("error")) {
                out.append("| ")
                        .append(impl)
                        .append(" | failed: ")
                        .append(r.path("error").asText())
                        .append(" ||||||||||||\n");
                continue;
            }
            double gflops = r.path("train_gflops_per_s").asDouble();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.2f%s | %.2f | %.1f%% | %.1f%% | %s | %s | %s | %s -> %s | %.0f | %.2f | %d + %d x %d, %s |%n",
                    impl,
                    r.path("samples_per_s_median").asDouble(),
                    r.path("s_per_epoch_median").asDouble(),
                    r.path("epoch_extrapolated").asBoolean() ? "*" : "",
                    gflops,
                    100 * gflops / enginePeak(r),
                    100 * gflops / machinePeak(),
                    mb(r.path("rss_mb_epoch5").asDouble()),
                    mb(r.path("rss_mb_epoch20").asDouble()),
                    rssChange(r),
                    mb(r.path("heap_committed_mb_epoch5").asDouble(-1)),
                    mb(r.path("heap_committed_mb_epoch20").asDouble(-1)),
                    r.path("peak_rss_mb").asDouble(),
                    r.path("first_batch_s").asDouble(),
                    r.path("warmup").asInt(),
                    r.path("timed").asInt(),
                    r.path("timed_batches").asInt(),
                    tail(r)));
        }
        for (String impl : IMPLS) {
            List<JsonNode> runs = runs(w, impl, null);
            if (runs.size() > 1) {
                out.append(String.format(
                        Locale.ROOT,
                        "%n%s ran %d times: %s samples/s; the fastest is the row above and the one the targets use.%n",
                        impl,
                        runs.size(),
                        String.join(
                                " / ",
                                runs.stream()
                                        .map(r -> r.has("error")
                                                ? "error"
                                                : String.format(
                                                        Locale.ROOT,
                                                        "%.1f",
                                                        r.path("samples_per_s_median")
                                                                .asDouble()))
                                        .toList())));
            }
        }
        fastestTfBaseline(w)
                .ifPresent(b -> out.append(String.format(
                        Locale.ROOT,
                        "%nFastest hand-written TensorFlow form: %s (%.1f samples/s); rnn4j-tf at %.2fx of it.%n",
                        b.path("impl").asText(),
                        b.path("samples_per_s_median").asDouble(),
                        rate(w, "rnn4j-tf") / b.path("samples_per_s_median").asDouble())));
        out.append("\n");
    }

    private static String mb(double v) {
        return v < 0 ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    /** The tail epochs of a training line ("14 x 2"), or "no tail". */
    private static String tail(JsonNode r) {
        int epochs = r.path("epochs").asInt()
                - r.path("warmup").asInt()
                - r.path("timed").asInt();
        return epochs == 0 ? "no tail" : epochs + " x " + r.path("tail_batches").asInt();
    }

    private static String rssChange(JsonNode r) {
        double a = r.path("rss_mb_epoch5").asDouble();
        double b = r.path("rss_mb_epoch20").asDouble();
        return a <= 0 || b <= 0 ? "-" : String.format(Locale.ROOT, "%+.1f%%", 100 * (b - a) / a);
    }

    /** GFLOP/s of the 1,024-window forecast: W1b's forward matmul FLOPs per window times 1,024, over the median call. */
    private static double batchInferenceGflops(JsonNode p) {
        double ms = p.path("forecast_batch").path("median_ms").asDouble();
        int windows = p.path("small").asBoolean() ? 8 : SyntheticData.PREDICT_BATCH;
        return windows
                * (double) Workload.W1B.forwardFlopsPerSample(p.path("small").asBoolean())
                / (ms / 1000)
                / 1e9;
    }

    private void inference() {
        out.append("### P (inference; median / p90 ms per call)\n\n");
        out.append(
                "| impl | first result s | 1 window (W1b) | 1,024 windows (W1b) | windows/s | 1,024 windows GFLOP/s (% machine peak) "
                        + "| next char (W2, 100-id context) | generation step (W2, state carried) | chars/s (generation) | peak RSS MB |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String impl : IMPLS) {
            Optional<JsonNode> found = find("P", impl);
            if (found.isEmpty() || found.get().has("error")) {
                if (found.isPresent() || !impl.startsWith("tf-baseline-")) {
                    out.append("| ")
                            .append(impl)
                            .append(found.isEmpty() ? " | not run" : " | failed")
                            .append(" ||||||||||\n");
                }
                continue;
            }
            JsonNode r = found.get();
            double g = batchInferenceGflops(r);
            boolean step = r.has("generation_step");
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.2f | %s | %s | %.0f | %.1f (%.1f%%) | %s | %s | %s | %.0f |%n",
                    impl,
                    r.path("first_result_s").asDouble(),
                    lat(r.path("forecast_one")),
                    lat(r.path("forecast_batch")),
                    r.path("forecast_batch").path("items_per_s").asDouble(),
                    g,
                    100 * g / machinePeak(),
                    lat(r.path("next_char")),
                    step ? lat(r.path("generation_step")) : "-",
                    step
                            ? String.format(
                                    Locale.ROOT,
                                    "%.0f",
                                    r.path("generation_step")
                                            .path("items_per_s")
                                            .asDouble())
                            : "-",
                    r.path("peak_rss_mb").asDouble()));
        }
        out.append('\n');
        ok("gen", "rnn4j-tf").ifPresent(this::interleavedSteps);
    }

    /** The {@code gen} line: each implementation's generation step over the interleaved rounds. */
    private void interleavedSteps(JsonNode gen) {
        out.append(String.format(
                Locale.ROOT,
                "W2 generation step interleaved in one JVM (gen): %d rounds of %d calls each, ms per call%n%n",
                gen.path("rounds").asInt(),
                gen.path("calls_per_round").asInt()));
        out.append("| impl | median of the round medians | fastest round | slowest round |\n|---|---:|---:|---:|\n");
        for (var it = gen.path("round_median_ms").fields(); it.hasNext(); ) {
            var e = it.next();
            DoubleSummaryStatistics rounds = new DoubleSummaryStatistics();
            e.getValue().forEach(v -> rounds.accept(v.asDouble()));
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.4f | %.4f | %.4f |%n",
                    e.getKey(),
                    gen.path("median_ms").path(e.getKey()).asDouble(),
                    rounds.getMin(),
                    rounds.getMax()));
        }
        out.append('\n');
    }

    private static String lat(JsonNode n) {
        return String.format(
                Locale.ROOT,
                "%.2f / %.2f",
                n.path("median_ms").asDouble(),
                n.path("p90_ms").asDouble());
    }

    /** W2 on one core and under other settings, beside the default run of the same implementation. */
    private void threads() {
        List<JsonNode> variants =
                rows.stream().filter(r -> !isMain(r) && !r.has("error")).toList();
        if (variants.isEmpty()) {
            return;
        }
        out.append("### Threads and cores\n\n");
        out.append("| workload | impl | settings | cores | threads | samples/s (median) | vs the default run |\n");
        out.append("|---|---|---|---:|---|---:|---:|\n");
        java.util.Set<String> shown = new java.util.HashSet<>();
        for (JsonNode v : variants) {
            String w = v.path("workload").asText();
            if (!v.has("samples_per_s_median")) {
                continue;
            }
            String impl = v.path("impl").asText();
            double base = rate(w, impl);
            Optional<JsonNode> main = ok(w, impl);
            main.filter(m -> shown.add(w + " " + impl))
                    .ifPresent(m -> out.append(String.format(
                            Locale.ROOT,
                            "| %s | %s | default | %d | %s | %.1f | 1.00x |%n",
                            w,
                            impl,
                            m.path("cores").asInt(),
                            m.path("threads").asText(),
                            base)));
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %d | %s | %.1f | %.2fx |%n",
                    w,
                    impl,
                    v.path("variant").asText(),
                    v.path("cores").asInt(),
                    v.path("threads").asText(),
                    v.path("samples_per_s_median").asDouble(),
                    v.path("samples_per_s_median").asDouble() / base));
        }
        out.append('\n');
    }

    private double rate(String w, String impl) {
        return ok(w, impl).map(r -> r.path("samples_per_s_median").asDouble()).orElse(Double.NaN);
    }

    private double variantRate(String w, String impl, Predicate<JsonNode> which) {
        return rows.stream()
                .filter(r -> r.path("workload").asText().equals(w)
                        && r.path("impl").asText().equals(impl)
                        && !r.has("error")
                        && which.test(r))
                .mapToDouble(r -> r.path("samples_per_s_median").asDouble())
                .max() // best of the runs, as find
                .orElse(Double.NaN);
    }

    private void targets() {
        out.append("### Targets\n\n| target | measured | result |\n|---|---|---|\n");
        for (String w : TRAINING) {
            Optional<JsonNode> best = fastestTfBaseline(w);
            double separate = rate(w, "rnn4j-tf")
                    / best.map(b -> b.path("samples_per_s_median").asDouble()).orElse(Double.NaN);
            String separateText = String.format(
                    Locale.ROOT,
                    "%.2fx (of %s)",
                    separate,
                    best.map(b -> b.path("impl").asText()).orElse("none"));
            // Interleaved in one JVM where that row ran: separate JVMs read one graph up to 1.8x apart (round fifteen).
            Optional<JsonNode> together = interleavedRow(w);
            Optional<JsonNode> failed = interleavedFailure(w);
            String name = "rnn4j-tf >= 1.0x the fastest hand-written TensorFlow form on " + w;
            if (together.isEmpty() && failed.isPresent()) {
                // The set meant to measure it in one JVM; the separate JVMs' reading is no stand-in for that.
                target(
                        name + " (interleaved in one JVM)",
                        "interleaved failed: " + failed.get().path("error").asText() + "; separate JVMs: "
                                + separateText,
                        false);
            } else if (together.isPresent()) {
                double ratio =
                        together.get().path("ratio_vs_fastest_hand_written").asDouble();
                target(
                        name + " (interleaved in one JVM)",
                        String.format(
                                Locale.ROOT,
                                "%.2fx (of %s); separate JVMs: %s",
                                ratio,
                                together.get().path("fastest_hand_written").asText(),
                                separateText),
                        ratio >= 1.0);
            } else {
                target(name, separateText, separate >= 1.0);
            }
        }
        Optional<JsonNode> w2 = ok("W2", "rnn4j-tf");
        if (w2.isPresent()) {
            double g = w2.get().path("train_gflops_per_s").asDouble();
            double peak = machinePeak();
            target(
                    "rnn4j-tf W2 >= 50% of the machine's matmul peak",
                    String.format(
                            Locale.ROOT,
                            "%.1f GFLOP/s = %.1f%% of %.0f (machine peak); %.1f%% of %.0f (TF at the backend's threads)",
                            g,
                            100 * g / peak,
                            peak,
                            100 * g / enginePeak(w2.get()),
                            enginePeak(w2.get())),
                    g >= 0.5 * peak);
        }
        for (String w : new String[] {"W1b", "W2"}) {
            double ratio = rate(w, "rnn4j-dl4j") / rate(w, "dl4j-baseline");
            target(
                    "rnn4j-dl4j >= 2x dl4j-baseline samples/s on " + w + " (each engine's default threads)",
                    String.format(Locale.ROOT, "%.2fx", ratio),
                    ratio >= 2);
            double tuned = rate(w, "rnn4j-dl4j") / rate(w, "dl4j-baseline-1t");
            target(
                    "rnn4j-dl4j >= 2x dl4j-baseline-1t samples/s on " + w
                            + " (the baseline pinned to 1 thread, as rnn4j)",
                    String.format(Locale.ROOT, "%.2fx", tuned),
                    tuned >= 2);
        }
        for (String impl : new String[] {"rnn4j-tf", "rnn4j-dl4j"}) {
            Optional<JsonNode> all = ok("W2", impl);
            double one =
                    variantRate("W2", impl, r -> !isMain(r) && r.path("cores").asInt() == 1);
            // The 2-core side: the best of the repeats of the default settings ("2core") run next to the 1-core rows,
            // as many as those; only without repeats the main row (which ran minutes earlier).
            double repeat = variantRate(
                    "W2", impl, r -> "2core".equals(r.path("variant").asText()));
            double two = Double.isNaN(repeat)
                    ? all.map(r -> r.path("samples_per_s_median").asDouble()).orElse(Double.NaN)
                    : repeat;
            double ratio = two / one;
            target(
                    "W2 on " + all.map(r -> r.path("cores").asInt()).orElse(2) + " cores >= 1.6x its 1-core rate ("
                            + impl + ")",
                    String.format(Locale.ROOT, "%.2fx", ratio),
                    ratio >= 1.6);
        }
        Optional<JsonNode> gen = find("gen", "rnn4j-tf");
        if (gen.isEmpty()) {
            generationStepTargetFromP();
        } else if (gen.get().has("error")) {
            // The set meant to measure it in one JVM; the P rows' reading is no stand-in for that.
            target(
                    GENERATION_STEP_TARGET,
                    "gen failed: " + gen.get().path("error").asText(),
                    false);
        } else {
            generationStepTarget(gen.get());
        }
        for (String w : TRAINING) {
            for (String impl : new String[] {"rnn4j-tf", "rnn4j-dl4j"}) {
                ok(w, impl).filter(r -> r.path("rss_mb_epoch20").asDouble() > 0).ifPresent(r -> {
                    double a = r.path("rss_mb_epoch5").asDouble();
                    double b = r.path("rss_mb_epoch20").asDouble();
                    String after = String.format(Locale.ROOT, "%.0f -> %.0f MB (%+.1f%%)", a, b, 100 * (b - a) / a);
                    double pa = r.path("rss_peak_mb_epoch5").asDouble(-1);
                    double pb = r.path("rss_peak_mb_epoch20").asDouble(-1);
                    if (pa > 0 && pb > 0) {
                        // Each epoch's peak (since round sixteen): the reading after an epoch can land between a trim
                        // of the native heap and the next step's scratch memory.
                        target(
                                "RSS of epoch 20 within 5% of epoch 5 (each epoch's peak): " + w + " " + impl,
                                String.format(
                                        Locale.ROOT,
                                        "%.0f -> %.0f MB (%+.1f%%); after the epochs %s",
                                        pa,
                                        pb,
                                        100 * (pb - pa) / pa,
                                        after),
                                Math.abs(pb - pa) <= 0.05 * pa);
                    } else {
                        target(
                                "RSS after epoch 20 within 5% of epoch 5: " + w + " " + impl,
                                after,
                                Math.abs(b - a) <= 0.05 * a);
                    }
                });
            }
        }
        rows.stream()
                .filter(r -> r.path("workload").asText().equals("cli-summary"))
                .findFirst()
                .ifPresent(r -> target(
                        "`rnn4j summary` on a spec under 1 s",
                        String.format(Locale.ROOT, "%.2f s", r.path("seconds").asDouble()),
                        r.path("seconds").asDouble() < 1));
        for (String impl : new String[] {"rnn4j-tf", "rnn4j-dl4j"}) {
            find("W1", impl)
                    .ifPresent(r -> target(
                            "first W1 training batch within 4 s of process start (" + impl + ")",
                            String.format(
                                    Locale.ROOT,
                                    "%.2f s",
                                    r.path("first_batch_s").asDouble()),
                            r.path("first_batch_s").asDouble() > 0
                                    && r.path("first_batch_s").asDouble() < 4));
        }
        rows.stream()
                .filter(r -> r.path("workload").asText().equals("readme-train"))
                .findFirst()
                .ifPresent(r -> target(
                        "README's main command (`rnn4j train --zoo stock-simple-rnn`) under 2 minutes",
                        String.format(
                                Locale.ROOT,
                                "%.1f s (exit %d)",
                                r.path("seconds").asDouble(),
                                r.path("exit").asInt()),
                        r.path("exit").asInt() == 0 && r.path("seconds").asDouble() < 120));
        // A set run in parts (run.sh --only tf, then --only dl4j, lines joined) took the sum of its parts.
        List<JsonNode> parts = rows.stream()
                .filter(r -> r.path("workload").asText().equals("run"))
                .toList();
        if (!parts.isEmpty()) {
            double seconds = parts.stream()
                    .mapToDouble(r -> r.path("seconds").asDouble())
                    .sum();
            target(
                    "the whole benchmark set (`benchmarks/run.sh`, build included) under 15 minutes",
                    String.format(
                            Locale.ROOT,
                            "%.1f min%s",
                            seconds / 60,
                            parts.size() > 1 ? " (" + parts.size() + " parts, summed)" : ""),
                    seconds < 15 * 60);
        }
        out.append('\n');
    }

    /**
     * The generation-step target from the {@code gen} line: rnn4j-tf against the hand-written form with the lowest
     * median of its round medians, all interleaved in one JVM.
     */
    private void generationStepTarget(JsonNode gen) {
        JsonNode medians = gen.path("median_ms");
        double mine = medians.path("rnn4j-tf").asDouble(Double.NaN);
        String best = null;
        double theirs = Double.NaN;
        for (var it = medians.fields(); it.hasNext(); ) {
            var e = it.next();
            double v = e.getValue().asDouble(Double.NaN);
            // A missing or non-positive median is no winner.
            if (!e.getKey().equals("rnn4j-tf") && v > 0 && !(v >= theirs)) {
                best = e.getKey();
                theirs = v;
            }
        }
        target(
                GENERATION_STEP_TARGET,
                String.format(
                        Locale.ROOT,
                        "%.4f vs %.4f ms (%s), medians of %d rounds of %d calls interleaved in one JVM: %.2fx",
                        mine,
                        theirs,
                        best == null ? "none" : best,
                        gen.path("rounds").asInt(),
                        gen.path("calls_per_round").asInt(),
                        theirs / mine),
                mine <= theirs);
    }

    /** The generation-step target from the P rows (separate JVMs), for a set run without the {@code gen} line. */
    private void generationStepTargetFromP() {
        Optional<JsonNode> p = ok("P", "rnn4j-tf");
        Optional<JsonNode> bestStep = fastest(
                "P",
                r -> r.has("generation_step")
                        ? -r.path("generation_step").path("median_ms").asDouble()
                        : Double.NEGATIVE_INFINITY);
        double mine = p.filter(r -> r.has("generation_step"))
                .map(r -> r.path("generation_step").path("median_ms").asDouble())
                .orElse(Double.NaN);
        double theirs = bestStep.filter(r -> r.has("generation_step"))
                .map(r -> r.path("generation_step").path("median_ms").asDouble())
                .orElse(Double.NaN);
        target(
                GENERATION_STEP_TARGET,
                String.format(
                        Locale.ROOT,
                        "%.3f vs %.3f ms (%s): %.2fx",
                        mine,
                        theirs,
                        bestStep.map(b -> b.path("impl").asText()).orElse("none"),
                        theirs / mine),
                mine <= theirs);
    }

    private void target(String what, String measured, boolean met) {
        boolean unknown = measured.contains("NaN");
        out.append("| ")
                .append(what)
                .append(" | ")
                .append(measured)
                .append(" | ")
                .append(unknown ? "not measured" : met ? "**MET**" : "**NOT MET**")
                .append(" |\n");
    }
}
