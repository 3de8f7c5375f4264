package org.rnn4j.cli;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rnn4j.api.train.History;

/** PNG plots of a training run, drawn off-screen with XChart. */
final class Charts {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;

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

    /** Test-split prices with the model's and the naive one-step forecasts; x is the date when known. */
    static byte[] forecast(String title, List<LocalDate> dates, double[] actual, double[] model, double[] naive)
            throws IOException {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle(dates == null ? "test step" : "date")
                .yAxisTitle("price")
                .build();
        List<Object> x = new ArrayList<>();
        for (int i = 0; i < actual.length; i++) {
            x.add(
                    dates == null
                            ? (Object) (i + 1)
                            : Date.from(dates.get(i).atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
        if (dates != null) {
            chart.getStyler().setDatePattern("yyyy-MM-dd");
        }
        add(chart, "actual", x, boxed(actual));
        add(chart, "model (one step ahead)", x, boxed(model));
        add(chart, "naive (last value)", x, boxed(naive));
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    private static void add(XYChart chart, String name, List<?> x, List<Double> y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(x.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }

    private static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
