package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compare.Comparison;
import org.rnn4j.api.compare.ComparisonReport;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.io.OutputPaths;
import org.rnn4j.api.io.RunLock;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.train.ProgressBar;
import org.rnn4j.bootstrap.Rnn4j;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.plan.TrainingPlan;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains one model on several engines from the same initial weights with the same batches, and
 * reports how far they agree: compare.json, compare.md, compare.png and a console table.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description =
                "Train the same model on several engines from identical starts and report their agreement side by side.",
        footer = {
            "%nBefore training the engines must agree within 1e-5 on the test outputs (forwardMaxAbsDiff); after training the",
            "report gives the largest prediction and weight differences, per-epoch histories, seconds per epoch and samples",
            "per second, and each engine's test metrics (stock models: on the price scale, with the naive forecast).",
            "%nExamples:",
            "  rnn4j compare --zoo stock-simple-rnn --epochs 3",
            "  rnn4j compare --zoo char-embedding-lstm --max-chars 20000 --epochs 3 --out runs/compare-char"
        })
final class CompareCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    ModelChoice what;

    @Mixin
    DataOptions input;

    @Mixin
    ShapeOptions shape;

    @Mixin
    EvaluationFlags verdictOptions;

    @Option(
            names = "--backends",
            split = ",",
            defaultValue = "tf,dl4j",
            paramLabel = "IDS",
            description = "Engines to compare (default: tf,dl4j).")
    List<String> backends;

    @Mixin
    FitOverrides fitting;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: runs/compare-<name>).")
    Path out;

    @Spec
    CommandSpec commandSpec;

    @Override
    public Integer call() throws Exception {
        fitting.check();
        OptionBounds.shape(shape.order, shape.horizon);
        OptionBounds.evaluation(verdictOptions.season);
        if (backends.size() < 2 || backends.stream().distinct().count() != backends.size()) {
            throw new IllegalArgumentException(
                    "--backends needs two or more different engines, e.g. tf,dl4j; got " + backends);
        }
        // The report folder is checked and locked before any data is read or an engine starts.
        Path dir = out != null
                ? out
                : Path.of(
                        "runs",
                        "compare-"
                                + (what.zoo != null
                                        ? Zoo.get(what.zoo).name()
                                        : ModelSource.spec(what.spec).name()));
        try (RunLock lock = RunLock.acquire(OutputPaths.checkDirectory(dir, "--out"), "--out")) {
            return compare(dir);
        }
    }

    private Integer compare(Path dir) throws Exception {
        PrintWriter stdout = commandSpec.commandLine().getOut();
        TrainingPlan plan = Plans.plan(what.zoo, what.spec, shape.request(input, fitting.maxChars));
        // Three epochs unless asked: enough to see the engines drift, short enough to run often.
        FitOptions fit = fitting.apply(plan.spec().fit(), 3);
        ModelSpec spec = plan.spec().withFit(fit);
        Dataset train = plan.data().trainingSet();
        Dataset validation = plan.data().validationSet().orElse(null);
        Dataset test = plan.data().testSet();
        stdout.printf(
                Locale.ROOT,
                "Comparing %s (%,d parameters) on %s, %d epochs, batch %d, seed %d, %d training samples%n",
                plan.name(),
                spec.parameterCount(),
                backends,
                fit.epochs(),
                fit.batchSize(),
                fit.seed(),
                train.sampleCount().orElse(-1));
        stdout.flush();
        EngineLabels labels = new EngineLabels(backends, stdout);
        List<Backend> opened = new ArrayList<>();
        ComparisonReport report;
        Map<String, ObjectNode> priceScale = new LinkedHashMap<>();
        try {
            for (String id : backends) {
                opened.add(Rnn4j.backend(id));
            }
            report = Comparison.of(spec)
                    .backends(opened)
                    .fit(fit)
                    .callbacks(labels, new ProgressBar(2, labels.out(), false, 0))
                    .run(train, validation, test);
            for (Backend b : opened) {
                try (Model m = Model.withWeights(spec, b, report.finalWeights().get(b.id()))) {
                    priceScale.put(
                            b.id(),
                            plan.data().score(m, verdictOptions.options()).toJson());
                }
            }
        } finally {
            opened.forEach(Backend::close);
        }
        ObjectNode json = json(report, priceScale);
        String md = markdown(plan.name(), report, priceScale);
        byte[] png = plot(report);
        ModelFiles.writeAtomically(
                dir.resolve("compare.json"), SpecJson.mapper().writeValueAsBytes(json));
        ModelFiles.writeAtomically(dir.resolve("compare.md"), md.getBytes(StandardCharsets.UTF_8));
        ModelFiles.writeAtomically(dir.resolve("compare.png"), png);
        stdout.print(md);
        stdout.println("Outputs in " + dir + ": compare.json, compare.md, compare.png");
        stdout.flush();
        return report.forwardMaxAbsDiff() <= 1e-5 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    static ObjectNode json(ComparisonReport r, Map<String, ObjectNode> priceScale) {
        ObjectNode o = SpecJson.mapper().createObjectNode();
        o.put("model", r.spec().name());
        o.put("epochs", r.options().epochs());
        o.put("batchSize", r.options().batchSize());
        o.put("seed", r.options().seed());
        o.put("forwardMaxAbsDiff", r.forwardMaxAbsDiff());
        o.put("predictionMaxAbsDiff", r.predictionMaxAbsDiff());
        o.put("weightMaxAbsDiff", r.weightMaxAbsDiff());
        ObjectNode perWeight = o.putObject("weightMaxAbsDiffByWeight");
        r.weightDiffs().forEach(perWeight::put);
        ObjectNode backendsNode = o.putObject("backends");
        r.runs().forEach((id, run) -> {
            ObjectNode b = backendsNode.putObject(id);
            b.put("description", run.description());
            ObjectNode hist = b.putObject("history");
            run.history().forEach((k, v) -> {
                ArrayNode a = hist.putArray(k);
                v.forEach(a::add);
            });
            ArrayNode sec = b.putArray("secondsPerEpoch");
            run.secondsPerEpoch().forEach(sec::add);
            ArrayNode sps = b.putArray("samplesPerSecond");
            run.samplesPerSecond().forEach(sps::add);
            ObjectNode test = b.putObject("testMetrics");
            run.testMetrics().forEach(test::put);
            if (priceScale.containsKey(id)) {
                b.set("testEvaluation", priceScale.get(id));
            }
        });
        return o;
    }

    static String markdown(String name, ComparisonReport r, Map<String, ObjectNode> priceScale) {
        StringBuilder sb = new StringBuilder();
        List<String> ids = new ArrayList<>(r.runs().keySet());
        sb.append("# Comparison: ").append(name).append("\n\n");
        sb.append(String.format(
                Locale.ROOT,
                "Same initial weights and batches on %s; %d epochs, batch %d, seed %d.%n%n",
                ids,
                r.options().epochs(),
                r.options().batchSize(),
                r.options().seed()));
        sb.append(String.format(
                Locale.ROOT,
                "- forward max |diff| before training: %.3g (%s 1e-5)%n",
                r.forwardMaxAbsDiff(),
                r.forwardMaxAbsDiff() <= 1e-5 ? "within" : "NOT within"));
        sb.append(
                String.format(Locale.ROOT, "- prediction max |diff| after training: %.3g%n", r.predictionMaxAbsDiff()));
        sb.append(String.format(Locale.ROOT, "- weight max |diff| after training: %.3g%n%n", r.weightMaxAbsDiff()));
        sb.append("| epoch |");
        List<String> keys = new ArrayList<>(r.runs().get(ids.get(0)).history().keySet());
        for (String id : ids) {
            for (String k : keys) {
                sb.append(' ').append(id).append(' ').append(k).append(" |");
            }
            sb.append(' ').append(id).append(" s/epoch | ").append(id).append(" samples/s |");
        }
        sb.append('\n').append("|---|");
        sb.append("---|".repeat(ids.size() * (keys.size() + 2))).append('\n');
        int epochs = r.runs().get(ids.get(0)).secondsPerEpoch().size();
        for (int e = 0; e < epochs; e++) {
            sb.append("| ").append(e + 1).append(" |");
            for (String id : ids) {
                var run = r.runs().get(id);
                for (String k : keys) {
                    sb.append(String.format(
                            Locale.ROOT, " %.6g |", run.history().get(k).get(e)));
                }
                sb.append(String.format(
                        Locale.ROOT,
                        " %.2f | %.0f |",
                        run.secondsPerEpoch().get(e),
                        run.samplesPerSecond().get(e)));
            }
            sb.append('\n');
        }
        sb.append("\nTest metrics:\n\n");
        for (String id : ids) {
            sb.append("- ").append(id).append(": ");
            r.runs().get(id).testMetrics().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%s %.6g; ", k, v)));
            ObjectNode ev = priceScale.get(id);
            if (ev != null && ev.has("theilsU")) {
                sb.append(String.format(
                        Locale.ROOT,
                        "price-scale RMSE %.4f vs naive %.4f, Theil's U %.4f, verdict: %s",
                        ev.path("model").path("rmse").asDouble(),
                        ev.path("naive").path("rmse").asDouble(),
                        ev.path("theilsU").asDouble(),
                        ev.path("verdict").asText()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static byte[] plot(ComparisonReport r) throws java.io.IOException {
        XYChart chart = new XYChartBuilder()
                .width(1000)
                .height(560)
                .title("Loss per epoch, same start on every engine")
                .xAxisTitle("epoch")
                .yAxisTitle("loss")
                .build();
        r.runs().forEach((id, run) -> {
            List<Integer> epochs = new ArrayList<>();
            for (int e = 1; e <= run.secondsPerEpoch().size(); e++) {
                epochs.add(e);
            }
            chart.addSeries(id + " training loss", epochs, run.history().get("loss"));
            if (run.history().containsKey("val_loss")) {
                chart.addSeries(id + " validation loss", epochs, run.history().get("val_loss"));
            }
        });
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
