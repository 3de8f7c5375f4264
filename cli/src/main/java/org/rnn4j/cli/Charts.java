package org.rnn4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rnn4j.api.train.History;
import org.rnn4j.zoo.backtest.Backtest;
import org.rnn4j.zoo.evaluation.ForecastPlot;
import org.rnn4j.zoo.recipe.SeriesForecast;

/**
 * PNG plots drawn off-screen with XChart. Forecast plots draw the naive line before the model's,
 * so the model is on top where they overlap, and date the x axis when the series has dates.
 */
final class Charts {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;
    private static final int PANEL = 330;
    private static final int ZOOM = 100;
    private static final Color ACTUAL = Color.BLACK;
    private static final Color NAIVE = new Color(150, 150, 150);
    private static final Color NAIVE_HALO = new Color(255, 170, 60);
    private static final Color MODEL = new Color(0, 90, 200);
    private static final Color BAND = new Color(230, 120, 0);
    private static final BasicStroke DASHED =
            new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

    private Charts() {}

    /** Training and validation loss per epoch. */
    static byte[] loss(History h, String lossName) throws IOException {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title("Loss per epoch")
                .xAxisTitle("epoch")
                .yAxisTitle(lossName)
                .build();
        List<Integer> epochs = new ArrayList<>();
        for (int e = 1; e <= h.epochs(); e++) {
            epochs.add(e);
        }
        add(chart, "training loss", epochs, h.get("loss"));
        if (h.has("val_loss")) {
            add(chart, "validation loss", epochs, h.get("val_loss"));
        }
        chart.getStyler().setXAxisDecimalPattern("#0");
        chart.getStyler().setYAxisDecimalPattern("#0.0####");
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Three panels: the test split's true values with the naive and the model's forecasts, the
     * model's residuals (true minus forecast), and the last {@value #ZOOM} steps up close.
     */
    static byte[] forecast(String title, ForecastPlot p) throws IOException {
        List<Object> x = xValues(p.dates(), p.actual().length, 0);
        int n = p.actual().length;
        int from = Math.max(0, n - ZOOM);
        XYChart all = values(title, p, x, 0, n, HEIGHT);
        XYChart residuals = chart("residuals: true - model", p.hasDates(), "true - forecast", PANEL);
        line(residuals, "residual", x, boxed(p.residuals(), 0, n), MODEL, null);
        line(residuals, "zero", x, constant(0, n), NAIVE, DASHED);
        XYChart zoom = values("last " + (n - from) + " steps", p, x.subList(from, n), from, n, PANEL);
        return stack(all, residuals, zoom);
    }

    private static XYChart values(String title, ForecastPlot p, List<Object> x, int from, int to, int height) {
        XYChart c = chart(title, p.hasDates(), "value", height);
        line(c, "actual", x, boxed(p.actual(), from, to), ACTUAL, null);
        // Wide and pale under the model's line: where they overlap, the naive line shows as its halo.
        line(c, "naive (last value)", x, boxed(p.naive(), from, to), NAIVE_HALO, null)
                .setLineWidth(5f);
        line(
                c,
                "model (" + (p.step() == 1 ? "one step ahead" : p.step() + " steps ahead") + ")",
                x,
                boxed(p.model(), from, to),
                MODEL,
                null);
        return c;
    }

    /** The last known values, the forecast and, when there is one, its Monte-Carlo dropout interval. */
    static byte[] future(String title, SeriesForecast f) throws IOException {
        int h = f.history().length;
        int k = f.point().length;
        List<Object> x = xValues(f.dates(), h + k, 0);
        XYChart c = chart(title, !f.dates().isEmpty(), f.column(), HEIGHT);
        line(c, "history", x.subList(0, h), boxed(f.history(), 0, h), ACTUAL, null);
        // The forecast line starts at the last known value so it joins the history.
        List<Object> fx = x.subList(h - 1, h + k);
        double[] point = new double[k + 1];
        point[0] = f.history()[h - 1];
        System.arraycopy(f.point(), 0, point, 1, k);
        if (f.hasInterval()) {
            double[] lo = new double[k + 1];
            double[] hi = new double[k + 1];
            lo[0] = point[0];
            hi[0] = point[0];
            System.arraycopy(f.lower(), 0, lo, 1, k);
            System.arraycopy(f.upper(), 0, hi, 1, k);
            String label = String.format(java.util.Locale.ROOT, "%.0f%% MC dropout", 100 * f.level());
            line(c, label + " lower", fx, boxed(lo, 0, k + 1), BAND, DASHED);
            line(c, label + " upper", fx, boxed(hi, 0, k + 1), BAND, DASHED);
        }
        XYSeries s = line(c, "forecast", fx, boxed(point, 0, k + 1), MODEL, null);
        s.setMarker(SeriesMarkers.CIRCLE);
        return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    }

    /** Theil's U per fold with its bootstrap interval, and the line U = 1 (as good as naive). */
    static byte[] backtest(String title, Backtest.Result r) throws IOException {
        double[][] u = Backtest.foldU(r);
        int n = u[0].length;
        List<Object> x = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            x.add(k);
        }
        XYChart c = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle("fold")
                .yAxisTitle("Theil's U (model RMSE / naive RMSE)")
                .build();
        c.getStyler().setXAxisDecimalPattern("#0");
        line(c, "U = 1 (naive)", x, constant(1, n), NAIVE, DASHED).setMarker(SeriesMarkers.NONE);
        String level = String.format(
                java.util.Locale.ROOT,
                "%.0f%%",
                100 * (1 - r.options().evaluation().alpha()));
        XYSeries lo = line(c, level + " bootstrap interval, lower", x, boxed(u[1], 0, n), BAND, DASHED);
        lo.setMarker(SeriesMarkers.TRIANGLE_UP);
        XYSeries hi = line(c, level + " bootstrap interval, upper", x, boxed(u[2], 0, n), BAND, DASHED);
        hi.setMarker(SeriesMarkers.TRIANGLE_DOWN);
        line(c, "Theil's U", x, boxed(u[0], 0, n), MODEL, null).setMarker(SeriesMarkers.CIRCLE);
        return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(String title, boolean dates, String yTitle, int height) {
        XYChart c = new XYChartBuilder()
                .width(WIDTH)
                .height(height)
                .title(title)
                .xAxisTitle(dates ? "date" : "step")
                .yAxisTitle(yTitle)
                .build();
        if (dates) {
            c.getStyler().setDatePattern("yyyy-MM-dd");
        } else {
            c.getStyler().setXAxisDecimalPattern("#0");
        }
        return c;
    }

    private static List<Object> xValues(List<LocalDate> dates, int n, int from) {
        List<Object> x = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            x.add(
                    dates.isEmpty()
                            ? (Object) (from + i + 1)
                            : Date.from(dates.get(i).atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
        return x;
    }

    private static XYSeries line(
            XYChart chart, String name, List<?> x, List<Double> y, Color color, BasicStroke stroke) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(x.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        s.setLineColor(color);
        s.setMarkerColor(color);
        if (stroke != null) {
            s.setLineStyle(stroke);
        }
        return s;
    }

    private static XYSeries add(XYChart chart, String name, List<?> x, List<Double> y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(x.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        return s;
    }

    private static byte[] stack(XYChart... charts) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        int height = 0;
        for (XYChart c : charts) {
            BufferedImage i = BitmapEncoder.getBufferedImage(c);
            images.add(i);
            height += i.getHeight();
        }
        BufferedImage out = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        int y = 0;
        for (BufferedImage i : images) {
            g.drawImage(i, 0, y, null);
            y += i.getHeight();
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return bytes.toByteArray();
    }

    private static List<Double> boxed(double[] values, int from, int to) {
        List<Double> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(values[i]);
        }
        return out;
    }

    private static List<Double> constant(double value, int n) {
        List<Double> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(value);
        }
        return out;
    }
}
