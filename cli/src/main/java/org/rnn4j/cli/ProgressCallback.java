package org.rnn4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.TrainingContext;

/**
 * Reports training: on a terminal a progress bar per epoch with loss and ETA, redrawn in place;
 * otherwise (a pipe, a log file, {@code --no-progress}) one plain line per epoch.
 */
final class ProgressCallback implements Callback {
    private static final int BAR = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean bar;
    private final long trainStart = System.nanoTime();
    private long epochStart;
    private long lastDraw;
    private int firstEpoch = -1;

    ProgressCallback(PrintWriter out, boolean bar) {
        this.out = out;
        this.bar = bar;
    }

    @Override
    public void onEpochBegin(TrainingContext ctx, int epoch) {
        epochStart = System.nanoTime();
        lastDraw = 0;
        if (firstEpoch < 0) {
            firstEpoch = epoch;
        }
    }

    @Override
    public void onBatchEnd(TrainingContext ctx, int epoch, int batch, int batches, double loss) {
        if (!bar || batches < 1) {
            return; // no bar for data whose size is not known ahead
        }
        long now = System.nanoTime();
        if (batch + 1 < batches && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        int done = (int) ((long) BAR * (batch + 1) / batches);
        double perBatch = (now - epochStart) / 1e9 / (batch + 1);
        double eta = perBatch * (batches - batch - 1);
        String line = String.format(
                Locale.ROOT,
                "\rEpoch %d/%d [%s%s] %d/%d - loss: %.4f - ETA %s   ",
                epoch + 1,
                ctx.epochs(),
                "=".repeat(done),
                " ".repeat(BAR - done),
                batch + 1,
                batches,
                loss,
                duration(eta));
        out.print(line);
        out.flush();
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        StringBuilder b = new StringBuilder();
        if (bar) {
            b.append('\r');
        }
        b.append(String.format(Locale.ROOT, "Epoch %d/%d - %s", epoch + 1, ctx.epochs(), duration(seconds)));
        logs.forEach((k, v) -> b.append(String.format(Locale.ROOT, " - %s: %.4f", k, v)));
        List<Double> waits = ctx.history().dataWaitSeconds();
        double waited = waits.isEmpty() ? 0 : waits.get(waits.size() - 1);
        if (waited >= 0.5 && waited >= 0.1 * seconds) {
            // Worth a word only when the engine sat idle for a noticeable share of the epoch.
            b.append(String.format(Locale.ROOT, " - waited %s for data", duration(waited)));
        }
        int doneEpochs = epoch + 1 - firstEpoch;
        int left = ctx.epochs() - epoch - 1;
        if (left > 0) {
            double perEpoch = (System.nanoTime() - trainStart) / 1e9 / doneEpochs;
            b.append(" - ETA ").append(duration(perEpoch * left));
        }
        if (bar) {
            b.append("          ");
        }
        out.println(b);
        out.flush();
    }

    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600
                ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
