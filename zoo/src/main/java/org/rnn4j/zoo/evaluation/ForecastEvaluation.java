package org.rnn4j.zoo.evaluation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.rnn4j.zoo.stats.DieboldMariano;

/**
 * A price model judged honestly on held-out prices: for each step ahead, its forecasts against the
 * naive last-value forecast and the other {@link Baseline}s, on the price scale, with Theil's U and
 * its block bootstrap interval, Diebold-Mariano tests (HLN-corrected) and a {@link Verdict} at the
 * level of {@link EvaluationOptions#alpha()}. Theil's U below 1 alone is never called a win.
 *
 * @param strategy how the model made its multi-step forecasts
 * @param steps    one evaluation per step ahead, from 1
 * @param options  the level, bootstrap settings and season used
 */
public record ForecastEvaluation(ForecastStrategy strategy, List<StepEvaluation> steps, EvaluationOptions options) {

    /** Fewer test forecasts than this and the verdict comes with a warning. */
    public static final int MIN_FORECASTS = 30;

    public ForecastEvaluation {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("an evaluation needs at least one step");
        }
    }

    /**
     * Judges {@code model[h - 1][i]}, the forecast of {@code prices[origins[i] + h]} made when
     * {@code prices[origins[i]]} was the last known price, for {@code h = 1..model.length}.
     *
     * @param trainFrom the first training row and
     * @param trainEnd  the end of the training rows (for the training mean and the majority direction)
     */
    public static ForecastEvaluation of(
            double[] prices,
            int[] origins,
            double[][] model,
            int trainFrom,
            int trainEnd,
            ForecastStrategy strategy,
            EvaluationOptions options) {
        int horizon = model.length;
        if (horizon < 1 || origins.length == 0) {
            throw new IllegalArgumentException("an evaluation needs at least one step and one origin, got " + horizon
                    + " steps and " + origins.length + " origins");
        }
        List<Baseline> baselines = new ArrayList<>(List.of(Baseline.NAIVE, Baseline.DRIFT));
        if (options.season() > 0) {
            baselines.add(Baseline.SEASONAL_NAIVE);
        }
        baselines.add(Baseline.MEAN);
        List<StepEvaluation> out = new ArrayList<>();
        for (int h = 1; h <= horizon; h++) {
            double[] forecast = model[h - 1];
            if (forecast.length != origins.length) {
                throw new IllegalArgumentException("expected " + origins.length + " model forecasts " + h
                        + " step(s) ahead, got " + forecast.length);
            }
            double[] actual = new double[origins.length];
            double[] origin = new double[origins.length];
            for (int i = 0; i < origins.length; i++) {
                int target = origins[i] + h;
                if (origins[i] < 0 || target >= prices.length) {
                    throw new IllegalArgumentException("origin " + origins[i] + " has no price " + h
                            + " step(s) later among " + prices.length + " prices");
                }
                actual[i] = prices[target];
                origin[i] = prices[origins[i]];
            }
            Map<Baseline, double[]> forecasts = new EnumMap<>(Baseline.class);
            for (Baseline b : baselines) {
                forecasts.put(b, b.forecasts(prices, origins, h, trainFrom, trainEnd, options.season()));
            }
            double[] trainingMoves = new double[Math.max(0, Math.min(trainEnd, prices.length) - h - trainFrom)];
            for (int t = 0; t < trainingMoves.length; t++) {
                trainingMoves[t] = prices[trainFrom + t + h] - prices[trainFrom + t];
            }
            out.add(StepEvaluation.of(h, actual, forecast, origin, forecasts, trainingMoves, options));
        }
        return new ForecastEvaluation(strategy, out, options);
    }

    /** One-step forecasts of prices {@code [from, prices.length)}, each made from the price before it. */
    public static ForecastEvaluation oneStep(
            double[] prices, int from, double[] modelForecast, int trainEnd, EvaluationOptions options) {
        int n = prices.length - from;
        if (from < 1 || n < 1) {
            throw new IllegalArgumentException("one-step forecasts need a known price before the first: from must be"
                    + " in [1, " + prices.length + "), got " + from);
        }
        if (modelForecast.length != n) {
            throw new IllegalArgumentException("expected " + n + " model forecasts for prices [" + from + ", "
                    + prices.length + "), got " + modelForecast.length);
        }
        int[] origins = new int[n];
        for (int i = 0; i < n; i++) {
            origins[i] = from - 1 + i;
        }
        return of(prices, origins, new double[][] {modelForecast}, 0, trainEnd, ForecastStrategy.RECURSIVE, options);
    }

    public int horizon() {
        return steps.size();
    }

    /** The one-step evaluation (the first step ahead). */
    public StepEvaluation first() {
        return steps.get(0);
    }

    /** Test forecasts per step. */
    public int forecasts() {
        return first().n();
    }

    public double theilsU() {
        return first().theilsU();
    }

    /** The one-step verdict against the naive forecast. */
    public Verdict verdict() {
        return first().verdict();
    }

    /**
     * A one-line warning when the test split holds fewer than {@value #MIN_FORECASTS} forecasts,
     * too few for the test and the interval to mean much.
     */
    public Optional<String> smallSampleWarning() {
        int n = forecasts();
        if (n >= MIN_FORECASTS) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                Locale.ROOT,
                "only %d test forecasts: with fewer than %d (rnn4j's rule) the Diebold-Mariano test and the bootstrap"
                        + " interval rest on too little data for the verdict to mean much; use a longer series or a larger"
                        + " test split",
                n,
                MIN_FORECASTS));
    }

    /** The {@code evaluation.json} document; the one-step figures at the top level, every step under {@code horizons}. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("split", "test");
        o.put("scale", "price");
        o.put("strategy", horizon() == 1 ? "one_step" : strategy.jsonName());
        o.put("horizon", horizon());
        o.put("alpha", options.alpha());
        if (options.season() > 0) {
            o.put("season", options.season());
        }
        o.setAll(first().toJson());
        smallSampleWarning().ifPresent(w -> o.put("warning", w));
        if (horizon() > 1) {
            ArrayNode a = o.putArray("horizons");
            steps.forEach(s -> a.add(s.toJson()));
        }
        return o;
    }

    private String level() {
        double pct = 100 * options.alpha();
        return (pct == Math.rint(pct) ? String.format(Locale.ROOT, "%.0f", pct) : String.format(Locale.ROOT, "%s", pct))
                + "%";
    }

    private String confidence() {
        double pct = 100 * (1 - options.alpha());
        return (pct == Math.rint(pct) ? String.format(Locale.ROOT, "%.0f", pct) : String.format(Locale.ROOT, "%s", pct))
                + "%";
    }

    /** The metrics, tests and interval of one step, as a table for people. */
    public String table(StepEvaluation s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%-14s %12s %12s %8s %10s %10s %10s  %s%n",
                "",
                "RMSE",
                "MAE",
                "MAPE %",
                "direction",
                "DM p (sq)",
                "DM p (abs)",
                "model vs baseline at " + level()));
        row(b, "model", s.model(), null);
        s.baselines().forEach((k, m) -> row(b, k.label(), m, s.tests().get(k)));
        b.append(String.format(
                Locale.ROOT,
                "Theil's U = %.4f (model RMSE / naive RMSE, %d test forecasts)%s%n",
                s.theilsU(),
                s.n(),
                s.theilsUInterval() == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; %s interval [%.4f, %.4f] (circular block bootstrap, blocks of %d, %d resamples,"
                                        + " seed %d)",
                                confidence(),
                                s.theilsUInterval().lower(),
                                s.theilsUInterval().upper(),
                                s.theilsUInterval().blockLength(),
                                s.theilsUInterval().resamples(),
                                s.theilsUInterval().seed())));
        b.append(s.direction().describe()).append(System.lineSeparator());
        b.append("(DM p: Diebold-Mariano test of equal accuracy with the Harvey-Leybourne-Newbold correction,"
                        + " two-sided, on squared and absolute errors)")
                .append(System.lineSeparator());
        return b.toString();
    }

    private static void row(StringBuilder b, String name, ForecastMetrics m, StepEvaluation.Comparison c) {
        b.append(String.format(
                Locale.ROOT,
                "%-14s %12.4f %12.4f %8s %9.1f%% %10s %10s  %s%n",
                name,
                m.rmse(),
                m.mae(),
                Double.isFinite(m.mape()) ? String.format(Locale.ROOT, "%.4f", m.mape()) : "n/a",
                100 * m.directionalAccuracy(),
                c == null ? "" : p(c.squared()),
                c == null ? "" : p(c.absolute()),
                c == null ? "" : c.verdict().words()));
    }

    static String p(DieboldMariano.Result r) {
        return r.pValue() < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", r.pValue());
    }

    /** One row per step ahead: the model's and the naive RMSE, U with its interval, the test and the verdict. */
    public String horizonTable() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%4s %12s %12s %9s %21s %8s  %s%n",
                "step",
                "model RMSE",
                "naive RMSE",
                "Theil's U",
                confidence() + " interval",
                "DM p",
                "verdict at " + level()));
        for (StepEvaluation s : steps) {
            StepEvaluation.Comparison c = s.tests().get(Baseline.NAIVE);
            b.append(String.format(
                    Locale.ROOT,
                    "%4d %12.4f %12.4f %9.4f %21s %8s  %s%n",
                    s.step(),
                    s.model().rmse(),
                    s.baselines().get(Baseline.NAIVE).rmse(),
                    s.theilsU(),
                    s.theilsUInterval() == null
                            ? "n/a"
                            : String.format(
                                    Locale.ROOT,
                                    "[%.4f, %.4f]",
                                    s.theilsUInterval().lower(),
                                    s.theilsUInterval().upper()),
                    c == null ? "n/a" : p(c.squared()),
                    s.verdict().words()));
        }
        return b.toString();
    }

    /** The verdict of one step against the naive forecast, in one sentence that says exactly one of the three words. */
    public String verdictLine(StepEvaluation s) {
        StepEvaluation.Comparison c = s.tests().get(Baseline.NAIVE);
        String ahead = horizon() == 1 ? "" : String.format(Locale.ROOT, " %d step(s) ahead", s.step());
        if (c == null) {
            return String.format(
                    Locale.ROOT,
                    "Verdict against the naive last-value forecast%s at the %s level: %s (%d test forecasts are too few"
                            + " for the Diebold-Mariano test; Theil's U %.4f).",
                    ahead,
                    level(),
                    Verdict.NO_EVIDENCE.words(),
                    s.n(),
                    s.theilsU());
        }
        return String.format(
                Locale.ROOT,
                "Verdict against the naive last-value forecast%s at the %s level: %s (Diebold-Mariano with the HLN"
                        + " correction on squared errors, p %s%s; Theil's U %.4f).",
                ahead,
                level(),
                c.verdict().words(),
                c.squared().pValue() < 0.001 ? "<" : "=",
                c.squared().pValue() < 0.001
                        ? " 0.001"
                        : String.format(Locale.ROOT, " %.3f", c.squared().pValue()),
                s.theilsU());
    }

    /** Every line a person reads: the one-step table, the per-step table when there are several, and the verdicts. */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        if (horizon() > 1) {
            lines.add("One step ahead:");
        }
        Arrays.stream(table(first()).split("\\R")).map(String::stripTrailing).forEach(lines::add);
        if (horizon() > 1) {
            lines.add(String.format(
                    Locale.ROOT,
                    "Per step ahead (%s, %d test origins):",
                    strategy == ForecastStrategy.DIRECT
                            ? "direct: one model output per step"
                            : "recursive: each prediction fed back",
                    forecasts()));
            lines.addAll(Arrays.asList(horizonTable().stripTrailing().split("\\R")));
        }
        for (StepEvaluation s : steps) {
            lines.add(verdictLine(s));
        }
        return lines;
    }
}
