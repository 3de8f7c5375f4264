package org.rnn4j.zoo.recipe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.rnn4j.api.Model;
import org.rnn4j.data.series.TimeSeries;

/**
 * The next values of a series after its last row, with a Monte-Carlo dropout interval when the
 * model has dropout: the forecast is repeated {@code samples} times with dropout active (masks drawn
 * from the seed, a new draw for every model call), and the interval at level {@code level} is the
 * pair of order statistics {@code ceil(S (1 - level)/2)} and {@code ceil(S (1 + level)/2)} of the
 * samples per step. The spread shows the model's own uncertainty (its weights), not the noise of the
 * series: it is no calibrated prediction interval, and it is narrow when dropout is light.
 *
 * @param column     the forecast column
 * @param history    the last rows of the series, for plots
 * @param dates      the history's dates then the forecast's (estimated from the median spacing), or empty
 * @param point      the forecast without dropout, {@code [steps]}
 * @param lower      the interval's lower bounds, or {@code null} without dropout
 * @param upper      the interval's upper bounds, or {@code null} without dropout
 * @param level      the interval's level
 * @param samples    the dropout samples drawn (0 without dropout)
 * @param seed       their seed
 */
public record SeriesForecast(
        String column,
        double[] history,
        List<LocalDate> dates,
        double[] point,
        double[] lower,
        double[] upper,
        double level,
        int samples,
        long seed) {

    /** At most this many rows of history are kept for the plot (six per forecast step, at least 30). */
    public static final int HISTORY = 100;

    public boolean hasInterval() {
        return lower != null;
    }

    /**
     * Forecasts {@code steps} values after the end of {@code series}.
     *
     * @param samples dropout samples (ignored when the model has no dropout)
     */
    public static SeriesForecast of(
            StockPreprocessing p, TimeSeries series, int steps, Model model, int samples, double level, long seed) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("the interval level must be in (0, 1), e.g. 0.9; got " + level);
        }
        if (samples < 2) {
            throw new IllegalArgumentException("Monte-Carlo dropout needs at least 2 samples, got " + samples);
        }
        double[] point = p.forecast(series, steps, model::predict);
        double[] lower = null;
        double[] upper = null;
        int drawn = 0;
        if (model.hasDropout()) {
            double[][] s = new double[steps][samples];
            AtomicLong calls = new AtomicLong();
            for (int k = 0; k < samples; k++) {
                double[] f = p.forecast(
                        series,
                        steps,
                        x -> model.predictWithDropout(x, seed * 0x9E3779B97F4A7C15L + calls.getAndIncrement()));
                for (int h = 0; h < steps; h++) {
                    s[h][k] = f[h];
                }
            }
            lower = new double[steps];
            upper = new double[steps];
            for (int h = 0; h < steps; h++) {
                Arrays.sort(s[h]);
                lower[h] = s[h][order(samples, (1 - level) / 2)];
                upper[h] = s[h][order(samples, (1 + level) / 2)];
            }
            drawn = samples;
        }
        double[] values = series.column(p.target());
        int from = Math.max(0, values.length - Math.min(HISTORY, Math.max(30, 6 * steps)));
        double[] history = Arrays.copyOfRange(values, from, values.length);
        List<LocalDate> dates = new ArrayList<>();
        if (series.hasDates()) {
            List<LocalDate> all = series.dates();
            dates.addAll(all.subList(from, all.size()));
            long[] gaps = new long[Math.min(20, all.size() - 1)];
            for (int i = 0; i < gaps.length; i++) {
                gaps[i] = all.get(all.size() - 1 - i).toEpochDay()
                        - all.get(all.size() - 2 - i).toEpochDay();
            }
            Arrays.sort(gaps);
            long gap = gaps.length == 0 ? 1 : Math.max(1, gaps[gaps.length / 2]);
            LocalDate last = all.get(all.size() - 1);
            for (int h = 1; h <= steps; h++) {
                dates.add(last.plusDays(gap * h));
            }
        }
        return new SeriesForecast(p.target(), history, dates, point, lower, upper, level, drawn, seed);
    }

    private static int order(int n, double q) {
        int k = (int) Math.ceil(n * q) - 1;
        return Math.max(0, Math.min(n - 1, k));
    }

    /** The last known date (or row) and one line per step. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        String last =
                dates.isEmpty() ? "the last row" : dates.get(history.length - 1).toString();
        out.add(String.format(Locale.ROOT, "Last known %s: %.4f (%s)", column, history[history.length - 1], last));
        for (int h = 0; h < point.length; h++) {
            out.add(
                    hasInterval()
                            ? String.format(
                                    Locale.ROOT, "t+%d\t%.4f\t[%.4f, %.4f]", h + 1, point[h], lower[h], upper[h])
                            : String.format(Locale.ROOT, "t+%d\t%.4f", h + 1, point[h]));
        }
        out.add(
                hasInterval()
                        ? String.format(
                                Locale.ROOT,
                                "(interval: %.0f%% of %d Monte-Carlo dropout samples, seed %d; the model's own uncertainty,"
                                        + " not the series' noise)",
                                100 * level,
                                samples,
                                seed)
                        : "(no interval: the model has no dropout to sample; a spec with Dropout or recurrent dropout gets a"
                                + " Monte-Carlo dropout interval)");
        return out;
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("column", column);
        o.put("lastValue", history[history.length - 1]);
        if (!dates.isEmpty()) {
            o.put("after", dates.get(history.length - 1).toString());
        }
        ArrayNode a = o.putArray("forecast");
        for (double v : point) {
            a.add(v);
        }
        if (hasInterval()) {
            ObjectNode i = o.putObject("interval");
            i.put("method", "monte carlo dropout");
            i.put("level", level);
            i.put("samples", samples);
            i.put("seed", seed);
            ArrayNode lo = i.putArray("lower");
            ArrayNode hi = i.putArray("upper");
            for (int h = 0; h < point.length; h++) {
                lo.add(lower[h]);
                hi.add(upper[h]);
            }
        }
        return o;
    }
}
