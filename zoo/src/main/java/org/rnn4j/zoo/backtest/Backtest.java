package org.rnn4j.zoo.backtest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.train.Callback;
import org.rnn4j.data.series.TimeSeries;
import org.rnn4j.zoo.evaluation.Baseline;
import org.rnn4j.zoo.evaluation.EvaluationOptions;
import org.rnn4j.zoo.evaluation.ForecastEvaluation;
import org.rnn4j.zoo.evaluation.StepEvaluation;
import org.rnn4j.zoo.recipe.Cut;
import org.rnn4j.zoo.recipe.StockData;
import org.rnn4j.zoo.recipe.StockPreprocessing;

/**
 * A rolling-origin backtest. The saved model's test split (rows {@code [v, n)} of its chronological
 * split) is cut into {@code folds} consecutive parts of (nearly) equal size,
 * {@code a_k = v + floor(k (n - v) / folds)}; fold {@code k} forecasts rows {@code [a_k, a_{k+1})}
 * from origins {@code a_k - 1 .. a_{k+1} - 1 - horizon}.
 * <ul>
 *   <li>Without refit, the saved model and its saved scalers forecast every fold (its training rows
 *   all lie before the test split): the folds show how the model's accuracy varies over time.</li>
 *   <li>With refit, each fold gets a fresh model of the same spec and fit settings, its scalers and
 *   weights fitted on the rows before the fold: all of them ({@link Window#EXPANDING}) or the last
 *   {@code v} of them ({@link Window#SLIDING}, as many as the saved run trained and validated on),
 *   split into training and validation rows in the saved split's proportion.</li>
 * </ul>
 * Each fold is scored as a test split is; the pooled score puts every fold's forecasts together
 * (they are consecutive in time, so the Diebold-Mariano test and the block bootstrap run on the
 * pooled errors as on one series; its training-mean baseline is the first fold's).
 */
public final class Backtest {

    /** How much history a refitted fold trains on. */
    public enum Window {
        EXPANDING,
        SLIDING;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Window fromJson(String name) {
            for (Window w : values()) {
                if (w.jsonName().equalsIgnoreCase(name)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("--window must be expanding or sliding, got '" + name + "'");
        }
    }

    /**
     * @param folds      how many consecutive test folds, >= 1
     * @param window     expanding or sliding (refit only)
     * @param refit      whether each fold trains a fresh model
     * @param evaluation the level, bootstrap and season of every score
     */
    public record Options(int folds, Window window, boolean refit, EvaluationOptions evaluation) {
        public Options {
            if (folds < 1) {
                throw new IllegalArgumentException("--folds must be >= 1, got " + folds);
            }
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(evaluation, "evaluation");
        }
    }

    /**
     * Forecasts a fold: the fold's data is cut (and, with refit, its scalers fitted) already.
     */
    @FunctionalInterface
    public interface FoldModel {
        /** Forecasts {@code [horizon][origins]} of the fold's test origins. */
        double[][] forecast(int fold, StockData data);
    }

    /**
     * One fold.
     *
     * @param cut        the rows it trained on (refit) and forecast
     * @param origins    its test origins
     * @param forecasts  {@code [horizon][origins]}
     * @param evaluation its score
     */
    public record Fold(int index, Cut cut, int[] origins, double[][] forecasts, ForecastEvaluation evaluation) {}

    /** Every fold and the pooled score. */
    public record Result(Options options, TimeSeries series, List<Fold> folds, ForecastEvaluation pooled) {

        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("backtest", "rolling origin");
            o.put("folds", folds.size());
            o.put("refit", options.refit());
            if (options.refit()) {
                o.put("window", options.window().jsonName());
            }
            ArrayNode a = o.putArray("perFold");
            for (Fold f : folds) {
                ObjectNode fo = a.addObject();
                fo.put("fold", f.index() + 1);
                fo.put("firstRow", f.cut().validationEnd());
                fo.put("endRow", f.cut().testEnd());
                if (series.hasDates()) {
                    fo.put(
                            "firstDate",
                            series.dates().get(f.cut().validationEnd()).toString());
                    fo.put("lastDate", series.dates().get(f.cut().testEnd() - 1).toString());
                }
                if (options.refit()) {
                    fo.put("trainFrom", f.cut().trainFrom());
                    fo.put("trainEnd", f.cut().trainEnd());
                }
                fo.set("evaluation", f.evaluation().toJson());
            }
            o.set("pooled", pooled.toJson());
            return o;
        }

        /** The per-fold table, the pooled table and the pooled verdict. */
        public List<String> report() {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(
                    Locale.ROOT,
                    "Backtest: %d fold(s) over the test split (rows %d..%d), %s:",
                    folds.size(),
                    folds.get(0).cut().validationEnd(),
                    folds.get(folds.size() - 1).cut().testEnd() - 1,
                    options.refit()
                            ? "a fresh model per fold on " + options.window().jsonName() + " history"
                            : "the saved model, no refit"));
            String level = String.format(
                    Locale.ROOT, "%.0f%%", 100 * options.evaluation().alpha());
            lines.add(String.format(
                    Locale.ROOT,
                    "%-6s %-25s %9s %12s %12s %9s %19s %8s  %s",
                    "fold",
                    series.hasDates() ? "dates" : "rows",
                    "forecasts",
                    "model RMSE",
                    "naive RMSE",
                    "Theil's U",
                    "interval",
                    "DM p",
                    "verdict at " + level));
            for (Fold f : folds) {
                lines.add(row(
                        String.valueOf(f.index() + 1),
                        span(f.cut().validationEnd(), f.cut().testEnd()),
                        f.evaluation()));
            }
            lines.add(row(
                    "pooled",
                    span(
                            folds.get(0).cut().validationEnd(),
                            folds.get(folds.size() - 1).cut().testEnd()),
                    pooled));
            lines.add("Pooled errors of all folds:");
            lines.addAll(pooled.report());
            return lines;
        }

        private String span(int from, int to) {
            if (series.hasDates()) {
                LocalDate a = series.dates().get(from);
                LocalDate b = series.dates().get(to - 1);
                return a + ".." + b;
            }
            return from + ".." + (to - 1);
        }

        private static String row(String name, String span, ForecastEvaluation e) {
            StepEvaluation s = e.first();
            StepEvaluation.Comparison c = s.tests().get(Baseline.NAIVE);
            return String.format(
                    Locale.ROOT,
                    "%-6s %-25s %9d %12.4f %12.4f %9.4f %19s %8s  %s",
                    name,
                    span,
                    s.n(),
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
                    c == null
                            ? "n/a"
                            : c.squared().pValue() < 0.001
                                    ? "<0.001"
                                    : String.format(
                                            Locale.ROOT, "%.3f", c.squared().pValue()),
                    s.verdict().words());
        }
    }

    private Backtest() {}

    /** The folds' cuts for a series of {@code n} rows. */
    static List<Cut> cuts(StockPreprocessing saved, int n, Options options) {
        Cut whole = Cut.of(saved.split(), n);
        int v = whole.validationEnd();
        int span = n - v;
        if (span < options.folds() * saved.horizon()) {
            throw new IllegalArgumentException("the test split holds " + span + " rows: too few for " + options.folds()
                    + " folds of at least " + saved.horizon() + " forecast(s) each; use fewer --folds");
        }
        double trainShare =
                saved.split().train() / (saved.split().train() + saved.split().validation());
        List<Cut> cuts = new ArrayList<>();
        for (int k = 0; k < options.folds(); k++) {
            int a = v + (int) ((long) k * span / options.folds());
            int b = v + (int) ((long) (k + 1) * span / options.folds());
            if (!options.refit()) {
                cuts.add(new Cut(0, whole.trainEnd(), a, b));
                continue;
            }
            int from = options.window() == Window.EXPANDING ? 0 : Math.max(0, a - v);
            int trainEnd = from + (int) Math.floor((a - from) * trainShare + 1e-9);
            cuts.add(new Cut(from, Math.max(from + 1, trainEnd), a, b));
        }
        return cuts;
    }

    /**
     * Runs the backtest.
     *
     * @param saved  the saved model's preprocessing (with refit: its transforms and scaler kinds)
     * @param series the series, every input column
     * @param model  forecasts a fold ({@link #savedModel} or {@link #refitting})
     * @param log    receives one line per fold as it finishes
     */
    public static Result run(
            StockPreprocessing saved, TimeSeries series, Options options, FoldModel model, Consumer<String> log) {
        List<Cut> cuts = cuts(saved, series.length(), options);
        double[] prices = series.column(saved.target());
        List<Fold> folds = new ArrayList<>();
        for (int k = 0; k < cuts.size(); k++) {
            Cut cut = cuts.get(k);
            StockPreprocessing pre = options.refit() ? saved.refit(series, cut) : saved;
            StockData data = pre.windows(series, cut);
            int[] origins = data.testOrigins();
            double[][] f = model.forecast(k, data);
            ForecastEvaluation ev = ForecastEvaluation.of(
                    prices, origins, f, cut.trainFrom(), cut.trainEnd(), saved.strategy(), options.evaluation());
            folds.add(new Fold(k, cut, origins, f, ev));
            log.accept(String.format(
                    Locale.ROOT,
                    "Fold %d/%d: %d forecasts, Theil's U %.4f",
                    k + 1,
                    cuts.size(),
                    origins.length,
                    ev.theilsU()));
        }
        int total = folds.stream().mapToInt(f -> f.origins().length).sum();
        int[] origins = new int[total];
        double[][] forecasts = new double[saved.horizon()][total];
        int at = 0;
        for (Fold f : folds) {
            System.arraycopy(f.origins(), 0, origins, at, f.origins().length);
            for (int h = 0; h < saved.horizon(); h++) {
                System.arraycopy(f.forecasts()[h], 0, forecasts[h], at, f.origins().length);
            }
            at += f.origins().length;
        }
        Cut first = folds.get(0).cut();
        ForecastEvaluation pooled = ForecastEvaluation.of(
                prices,
                origins,
                forecasts,
                first.trainFrom(),
                first.trainEnd(),
                saved.strategy(),
                options.evaluation());
        return new Result(options, series, folds, pooled);
    }

    /** Every fold forecast by one trained model. */
    public static FoldModel savedModel(Model model) {
        return (fold, data) -> data.testForecasts(model::predict);
    }

    /**
     * Each fold forecast by a fresh model of {@code spec} trained on the fold's training rows with
     * {@code spec.fit()} (its seed included), validated on its validation rows.
     */
    public static FoldModel refitting(ModelSpec spec, Backend backend, List<Callback> callbacks) {
        return (fold, data) -> {
            try (Model m = Model.create(spec, backend, spec.fit().seed())) {
                m.fit(data.trainingSet(), data.validationSet().orElse(null), spec.fit(), callbacks);
                return data.testForecasts(m::predict);
            }
        };
    }

    /** The per-fold Theil's U with its interval, for a plot. */
    public static double[][] foldU(Result r) {
        double[][] out = new double[3][r.folds().size()];
        for (int k = 0; k < r.folds().size(); k++) {
            StepEvaluation s = r.folds().get(k).evaluation().first();
            out[0][k] = s.theilsU();
            out[1][k] = s.theilsUInterval() == null
                    ? s.theilsU()
                    : s.theilsUInterval().lower();
            out[2][k] = s.theilsUInterval() == null
                    ? s.theilsU()
                    : s.theilsUInterval().upper();
        }
        return out;
    }
}
