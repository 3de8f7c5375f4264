package org.rnn4j.zoo.evaluation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.zoo.stats.BlockBootstrap;
import org.rnn4j.zoo.stats.DieboldMariano;

/**
 * The forecasts {@code step} steps ahead of every test origin, judged against each {@link Baseline}:
 * metrics, Theil's U with its bootstrap interval, and a Diebold-Mariano test per baseline.
 *
 * @param step            steps ahead, from 1
 * @param n               test forecasts
 * @param model           the model's metrics
 * @param baselines       each baseline's metrics, in {@link Baseline} order
 * @param theilsU         model RMSE over naive RMSE
 * @param theilsUInterval its circular block bootstrap interval, {@code null} with fewer than 2 forecasts
 * @param tests           the model against each baseline (absent when too few forecasts for the test)
 * @param direction       direction accuracy beside always-up and the training majority
 * @param modelErrors     model forecast minus actual, {@code [n]}
 * @param naiveErrors     naive forecast minus actual, {@code [n]}
 */
public record StepEvaluation(
        int step,
        int n,
        ForecastMetrics model,
        Map<Baseline, ForecastMetrics> baselines,
        double theilsU,
        BlockBootstrap.Interval theilsUInterval,
        Map<Baseline, Comparison> tests,
        DirectionScore direction,
        double[] modelErrors,
        double[] naiveErrors) {

    /**
     * The model against one baseline.
     *
     * @param squared  the test on squared errors, which decides the verdict (RMSE's loss)
     * @param absolute the test on absolute errors (MAE's loss)
     */
    public record Comparison(DieboldMariano.Result squared, DieboldMariano.Result absolute, Verdict verdict) {}

    public StepEvaluation {
        baselines = java.util.Collections.unmodifiableMap(new EnumMap<>(baselines));
        tests = java.util.Collections.unmodifiableMap(tests.isEmpty() ? Map.of() : new EnumMap<>(tests));
    }

    /**
     * Judges the model's forecasts {@code model[i]} of {@code actual[i]}, made at a time when
     * {@code origin[i]} was the last known price, against the baselines' forecasts of the same values.
     */
    static StepEvaluation of(
            int step,
            double[] actual,
            double[] model,
            double[] origin,
            Map<Baseline, double[]> baselineForecasts,
            double[] trainingMoves,
            EvaluationOptions options) {
        int n = actual.length;
        ForecastMetrics m = ForecastMetrics.of(actual, model, origin);
        Map<Baseline, ForecastMetrics> metrics = new EnumMap<>(Baseline.class);
        Map<Baseline, Comparison> tests = new EnumMap<>(Baseline.class);
        double[] modelErrors = errors(model, actual);
        for (Map.Entry<Baseline, double[]> b : baselineForecasts.entrySet()) {
            metrics.put(b.getKey(), ForecastMetrics.of(actual, b.getValue(), origin));
            Comparison c = compare(modelErrors, errors(b.getValue(), actual), step, options.alpha());
            if (c != null) {
                tests.put(b.getKey(), c);
            }
        }
        double[] naiveErrors = errors(baselineForecasts.get(Baseline.NAIVE), actual);
        double naiveRmse = metrics.get(Baseline.NAIVE).rmse();
        double u = naiveRmse == 0 ? Double.POSITIVE_INFINITY : m.rmse() / naiveRmse;
        BlockBootstrap.Interval interval = n >= 2 && naiveRmse > 0
                ? BlockBootstrap.theilsU(
                        modelErrors, naiveErrors, step, options.alpha(), options.resamples(), options.seed())
                : null;
        DirectionScore direction = DirectionScore.of(actual, model, origin, trainingMoves);
        return new StepEvaluation(step, n, m, metrics, u, interval, tests, direction, modelErrors, naiveErrors);
    }

    /** The test, or {@code null} when there are too few forecasts for it at this horizon. */
    private static Comparison compare(double[] model, double[] baseline, int step, double alpha) {
        int n = model.length;
        if (n < 3 || step > n - 1 || (n + 1 - 2.0 * step + step * (step - 1.0) / n) <= 0) {
            return null;
        }
        DieboldMariano.Result sq = DieboldMariano.test(model, baseline, step, DieboldMariano.Loss.SQUARED);
        DieboldMariano.Result abs = DieboldMariano.test(model, baseline, step, DieboldMariano.Loss.ABSOLUTE);
        return new Comparison(sq, abs, Verdict.of(sq, alpha));
    }

    private static double[] errors(double[] forecast, double[] actual) {
        double[] e = new double[actual.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = forecast[i] - actual[i];
        }
        return e;
    }

    /** The verdict against the naive forecast ({@link Verdict#NO_EVIDENCE} when too few forecasts to test). */
    public Verdict verdict() {
        Comparison c = tests.get(Baseline.NAIVE);
        return c == null ? Verdict.NO_EVIDENCE : c.verdict();
    }

    /** The baselines' names in table order. */
    List<Baseline> baselineOrder() {
        return new ArrayList<>(baselines.keySet());
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("step", step);
        o.put("steps", n);
        o.set("model", model.toJson());
        ObjectNode base = o.putObject("baselines");
        baselines.forEach((b, m) -> base.set(b.jsonName(), m.toJson()));
        o.set("naive", baselines.get(Baseline.NAIVE).toJson());
        ForecastMetrics.putFinite(o, "theilsU", theilsU);
        if (theilsUInterval != null) {
            ObjectNode i = o.putObject("theilsUInterval");
            i.put("lower", theilsUInterval.lower());
            i.put("upper", theilsUInterval.upper());
            i.put("level", theilsUInterval.level());
            i.put("method", "circular block bootstrap, percentile");
            i.put("resamples", theilsUInterval.resamples());
            i.put("blockLength", theilsUInterval.blockLength());
            i.put("seed", theilsUInterval.seed());
        }
        ObjectNode dm = o.putObject("dieboldMariano");
        tests.forEach((b, c) -> {
            ObjectNode t = dm.putObject(b.jsonName());
            t.set("squared", testJson(c.squared()));
            t.set("absolute", testJson(c.absolute()));
            t.put("verdict", c.verdict().words());
        });
        o.put("verdict", verdict().words());
        o.set("direction", direction.toJson());
        return o;
    }

    private static ObjectNode testJson(DieboldMariano.Result r) {
        ObjectNode t = JsonNodeFactory.instance.objectNode();
        t.put("horizon", r.horizon());
        t.put("autocovarianceLags", r.horizon() - 1);
        t.put("meanLossDifference", r.meanDifference());
        t.put("longRunVariance", r.variance());
        t.put("varianceKernel", r.kernel().jsonName());
        ForecastMetrics.putFinite(t, "statistic", r.statistic());
        ForecastMetrics.putFinite(t, "hlnStatistic", r.hlnStatistic());
        t.put("degreesOfFreedom", r.n() - 1);
        t.put("pValue", r.pValue());
        return t;
    }
}
