package org.rnn4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the JSON lines of one {@code run.sh} run into the markdown tables of BENCHMARKS.md: one
 * table per training workload, the inference table, the matmul peaks, and every target of issue 8
 * marked MET or NOT MET with its measured ratio. Lines that are not JSON objects are ignored.
 *
 * <pre>java -cp ... org.rnn4j.bench.Report benchmarks/results/2026-11-26.jsonl</pre>
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] IMPLS = {"rnn4j-tf", "tf-baseline", "rnn4j-dl4j", "dl4j-baseline", "dl4j-baseline-1t"
    };

    private final List<JsonNode> rows;
    private final StringBuilder out = new StringBuilder();

    Report(List<JsonNode> rows) {
        this.rows = rows;
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
        for (String w : new String[] {"W1", "W1b", "W2"}) {
            training(w);
        }
        inference();
        targets();
        return out.toString();
    }

    private Optional<JsonNode> find(String workload, String impl) {
        return rows.stream()
                .filter(r -> r.path("workload").asText().equals(workload)
                        && r.path("impl").asText().equals(impl))
                .findFirst();
    }

    private double machinePeak() {
        return rows.stream()
                .filter(r -> r.path("workload").asText().equals("matmul"))
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
                .filter(r -> r.path("workload").asText().equals("matmul"))
                .filter(r -> run.has("blas_threads")
                        ? r.has("blas_threads")
                                && r.path("blas_threads").asInt()
                                        == run.path("blas_threads").asInt()
                        : r.path("threads").asText().equals(run.path("threads").asText()))
                .mapToDouble(r -> r.path("best_gflops").asDouble())
                .max()
                .orElse(Double.NaN);
    }

    private void matmul() {
        out.append("### Matmul peak (2048 x 2048 x 2048, float32)\n\n");
        out.append("| engine | threads | best GFLOP/s | median GFLOP/s |\n|---|---|---:|---:|\n");
        for (JsonNode r : rows) {
            if (r.path("workload").asText().equals("matmul")) {
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %.1f | %.1f |%n",
                        r.path("engine").asText(),
                        r.path("threads").asText(),
                        r.path("best_gflops").asDouble(),
                        r.path("median_gflops").asDouble()));
            }
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
                out.append("| ").append(impl).append(" | not run ||||||||||||\n");
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
                    "| %s | %.1f | %.2f%s | %.2f | %.1f%% | %.1f%% | %s | %s | %s | %s -> %s | %.0f | %.2f | %d + %d x %d, %d x %d |%n",
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
                    r.path("epochs").asInt()
                            - r.path("warmup").asInt()
                            - r.path("timed").asInt(),
                    r.path("tail_batches").asInt()));
        }
        out.append("\n");
    }

    private static String mb(double v) {
        return v < 0 ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String rssChange(JsonNode r) {
        double a = r.path("rss_mb_epoch5").asDouble();
        double b = r.path("rss_mb_epoch20").asDouble();
        return a <= 0 || b <= 0 ? "-" : String.format(Locale.ROOT, "%+.1f%%", 100 * (b - a) / a);
    }

    private void inference() {
        out.append("### P (inference; median / p90 ms per call)\n\n");
        out.append(
                "| impl | first result s | 1 window (W1b) | 1,024 windows (W1b) | windows/s | next char (W2, 100-id context) | chars/s | peak RSS MB |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String impl : IMPLS) {
            Optional<JsonNode> found = find("P", impl);
            if (found.isEmpty() || found.get().has("error")) {
                out.append("| ")
                        .append(impl)
                        .append(found.isEmpty() ? " | not run" : " | failed")
                        .append(" |||||||\n");
                continue;
            }
            JsonNode r = found.get();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.2f | %s | %s | %.0f | %s | %.0f | %.0f |%n",
                    impl,
                    r.path("first_result_s").asDouble(),
                    lat(r.path("forecast_one")),
                    lat(r.path("forecast_batch")),
                    r.path("forecast_batch").path("items_per_s").asDouble(),
                    lat(r.path("next_char")),
                    r.path("next_char").path("items_per_s").asDouble(),
                    r.path("peak_rss_mb").asDouble()));
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

    private double rate(String w, String impl) {
        return find(w, impl)
                .filter(r -> !r.has("error"))
                .map(r -> r.path("samples_per_s_median").asDouble())
                .orElse(Double.NaN);
    }

    private void targets() {
        out.append("### Targets\n\n| target | measured | result |\n|---|---|---|\n");
        for (String w : new String[] {"W1", "W1b", "W2"}) {
            double ratio = rate(w, "rnn4j-tf") / rate(w, "tf-baseline");
            target(
                    "rnn4j-tf >= 0.9x tf-baseline samples/s on " + w,
                    String.format(Locale.ROOT, "%.2fx", ratio),
                    ratio >= 0.9);
        }
        Optional<JsonNode> w2 = find("W2", "rnn4j-tf");
        if (w2.isPresent()) {
            double g = w2.get().path("train_gflops_per_s").asDouble();
            double peak = machinePeak();
            target(
                    "rnn4j-tf W2 >= 40% of the measured matmul peak",
                    String.format(
                            Locale.ROOT,
                            "%.1f GFLOP/s = %.1f%% of %.0f (machine peak); %.1f%% of %.0f (TF at the backend's threads)",
                            g,
                            100 * g / peak,
                            peak,
                            100 * g / enginePeak(w2.get()),
                            enginePeak(w2.get())),
                    g >= 0.4 * peak);
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
        for (String w : new String[] {"W1", "W1b", "W2"}) {
            for (String impl : IMPLS) {
                find(w, impl)
                        .filter(r -> r.path("rss_mb_epoch20").asDouble() > 0)
                        .ifPresent(r -> {
                            double a = r.path("rss_mb_epoch5").asDouble();
                            double b = r.path("rss_mb_epoch20").asDouble();
                            target(
                                    "RSS after epoch 20 within 5% of epoch 5: " + w + " " + impl,
                                    String.format(Locale.ROOT, "%.0f -> %.0f MB (%+.1f%%)", a, b, 100 * (b - a) / a),
                                    Math.abs(b - a) <= 0.05 * a);
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
        out.append('\n');
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
