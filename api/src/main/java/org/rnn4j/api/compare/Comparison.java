package org.rnn4j.api.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.History;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.api.weights.WeightStore;

/**
 * Trains one spec on several backends from the same initial weights (drawn once, in the api)
 * with the same batches in the same order, and measures how far they agree:
 * <pre>{@code
 * ComparisonReport r = Comparison.of(spec).backends(tf, dl4j).fit(options).run(train, validation, test);
 * }</pre>
 */
public final class Comparison {
    private final ModelSpec spec;
    private final List<Backend> backends = new ArrayList<>();
    private FitOptions options;
    private final List<Callback> callbacks = new ArrayList<>();

    private Comparison(ModelSpec spec) {
        this.spec = spec;
        this.options = spec.fit();
    }

    public static Comparison of(ModelSpec spec) {
        return new Comparison(spec);
    }

    public Comparison backends(Backend... list) {
        backends.addAll(List.of(list));
        return this;
    }

    public Comparison backends(List<Backend> list) {
        backends.addAll(list);
        return this;
    }

    public Comparison fit(FitOptions fitOptions) {
        this.options = fitOptions;
        return this;
    }

    /** Callbacks given to every backend's run (progress, say). */
    public Comparison callbacks(Callback... list) {
        callbacks.addAll(List.of(list));
        return this;
    }

    /**
     * Runs the comparison.
     *
     * @param validation may be null
     * @param test       the inputs and targets the before/after predictions and the test metrics use
     */
    public ComparisonReport run(Dataset train, Dataset validation, Dataset test) {
        if (backends.size() < 2) {
            throw new IllegalArgumentException("a comparison needs at least two backends, got " + backends.size());
        }
        WeightStore initial = WeightInitializer.initialized(spec.weights(), options.seed());
        Map<String, Tensor> start = initial.snapshot();
        Map<String, ComparisonReport.BackendRun> runs = new LinkedHashMap<>();
        Map<String, Tensor> before = new LinkedHashMap<>();
        Map<String, Tensor> after = new LinkedHashMap<>();
        Map<String, Map<String, Tensor>> finalWeights = new LinkedHashMap<>();
        for (Backend backend : backends) {
            try (Model model = Model.withWeights(spec, backend, start)) {
                before.put(backend.id(), predictions(model, test));
                History h = model.fit(train, validation, options, callbacks);
                after.put(backend.id(), predictions(model, test));
                finalWeights.put(backend.id(), model.weights());
                Map<String, Double> testMetrics = model.evaluate(test, options.batchSize());
                double samples =
                        train.sampleCount().isPresent() ? train.sampleCount().getAsLong() : Double.NaN;
                List<Double> sps =
                        h.secondsPerEpoch().stream().map(s -> samples / s).toList();
                runs.put(
                        backend.id(),
                        new ComparisonReport.BackendRun(
                                backend.id(),
                                backend.description(),
                                h.history(),
                                h.secondsPerEpoch(),
                                sps,
                                testMetrics));
            }
        }
        String first = backends.get(0).id();
        double forward = 0;
        double prediction = 0;
        Map<String, Double> weightDiffs = new LinkedHashMap<>();
        for (Backend b : backends.subList(1, backends.size())) {
            forward = Math.max(forward, before.get(first).maxAbsDiff(before.get(b.id())));
            prediction = Math.max(prediction, after.get(first).maxAbsDiff(after.get(b.id())));
            for (var e : finalWeights.get(first).entrySet()) {
                double d = e.getValue().maxAbsDiff(finalWeights.get(b.id()).get(e.getKey()));
                weightDiffs.merge(e.getKey(), d, Math::max);
            }
        }
        double weightMax = weightDiffs.values().stream()
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(0);
        return new ComparisonReport(
                spec, options, forward, prediction, weightMax, weightDiffs, runs, after, finalWeights);
    }

    /** The test outputs: in one call for tensors (as ever), batch by batch for other data. */
    private Tensor predictions(Model model, Dataset test) {
        return test instanceof TensorDataset t ? model.predict(t.x()) : model.predict(test, options.batchSize());
    }
}
