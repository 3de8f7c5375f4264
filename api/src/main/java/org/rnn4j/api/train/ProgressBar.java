package org.rnn4j.api.train;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Keras's progress output for {@code fit} (its {@code ProgbarLogger}), as a callback:
 *
 * <pre>{@code
 * model.fit(x, y, options, new ProgressBar());      // verbose 1, to System.out
 *
 * Epoch 1/5
 * 110/110 [==============================] - 1s 5ms/step - loss: 0.5417 - mae: 0.5736 - val_loss: 0.2349
 * }</pre>
 *
 * <p>{@code verbose} as in Keras: 0 prints nothing; 1 prints an "Epoch i/n" line and, on a
 * terminal, a bar redrawn in place (at most ten times a second) with the ETA and the running mean
 * of the epoch's batch losses, then the epoch's line with every metric; 2 prints the "Epoch i/n"
 * line and one summary line per epoch. Where the output is not a terminal (a pipe, a log file),
 * nothing is redrawn: verbose 1 prints the finished bar once per epoch.
 *
 * <p>On a terminal the redrawn line always fits the width (the bar shrinks, then goes, then the
 * line is cut), and each redraw blanks what the previous one left, so a narrow window shows no
 * fragments. The width is {@code COLUMNS}, else what {@code stty size} reports for
 * {@code /dev/tty}, else 80; it is read once, when training begins.
 *
 * <p>Unlike Keras, {@code Model.fit} prints nothing unless given this callback: a library should
 * not write to a service's standard output uninvited.
 */
public final class ProgressBar implements Callback {
    private static final int BAR = 30;
    private static final int MIN_BAR = 10;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final int verbose;
    private final PrintWriter out;
    private final boolean terminal;
    private final int fixedColumns;
    private final LongSupplier clock;

    private int columns;
    private long epochStart;
    private long lastDraw;
    private double lossSum;
    private int lossCount;
    private int drawn;

    /** Verbose 1 on {@code System.out}, redrawn in place when the JVM runs on a terminal. */
    public ProgressBar() {
        this(1);
    }

    /** Keras's {@code verbose} (0, 1 or 2) on {@code System.out}. */
    public ProgressBar(int verbose) {
        this(verbose, systemOut(), attached(), 0);
    }

    /**
     * Full control: where to write, whether that is a terminal (redraws in place), and its width in
     * columns ({@code 0}: detect it as described above).
     */
    public ProgressBar(int verbose, PrintWriter out, boolean terminal, int columns) {
        this(verbose, out, terminal, columns, System::nanoTime);
    }

    ProgressBar(int verbose, PrintWriter out, boolean terminal, int columns, LongSupplier clock) {
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException("progress bar verbose must be 0, 1 or 2 (as Keras), got " + verbose);
        }
        if (columns < 0) {
            throw new IllegalArgumentException(
                    "progress bar columns must be > 0, or 0 to detect the terminal's width, got " + columns);
        }
        this.verbose = verbose;
        this.out = Objects.requireNonNull(out, "out");
        this.terminal = terminal;
        this.fixedColumns = columns;
        this.clock = clock;
    }

    private static PrintWriter systemOut() {
        return new PrintWriter(new OutputStreamWriter(System.out, Charset.defaultCharset()), true);
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        columns = fixedColumns > 0 ? fixedColumns : terminal && verbose == 1 ? TerminalWidth.detect() : 80;
    }

    @Override
    public void onEpochBegin(TrainingContext ctx, int epoch) {
        epochStart = clock.getAsLong();
        lastDraw = Long.MIN_VALUE;
        lossSum = 0;
        lossCount = 0;
        drawn = 0;
        if (verbose > 0) {
            out.println("Epoch " + (epoch + 1) + "/" + ctx.epochs());
            out.flush();
        }
    }

    @Override
    public void onBatchEnd(TrainingContext ctx, int epoch, int batch, int batches, double loss) {
        lossSum += loss;
        lossCount++;
        if (verbose != 1 || !terminal || batches < 1 || batch + 1 == batches) {
            return; // the epoch's own line follows at once; no bar for data whose size is not known ahead
        }
        long now = clock.getAsLong();
        if (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double perStep = (now - epochStart) / 1e9 / (batch + 1);
        String counter = counter(batch + 1, batches);
        String tail = " - ETA: " + eta(perStep * (batches - batch - 1)) + " - loss: " + number(lossSum / lossCount);
        redraw(fit(counter, bar(batch + 1, batches, barWidth(counter, tail)), tail));
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        if (verbose == 0) {
            return;
        }
        int batches = lossCount;
        double seconds = (clock.getAsLong() - epochStart) / 1e9;
        String counter = counter(batches, batches);
        StringBuilder tail = new StringBuilder();
        logs.forEach((k, v) -> tail.append(" - ").append(k).append(": ").append(number(v)));
        List<Double> waits = ctx.history() == null ? List.of() : ctx.history().dataWaitSeconds();
        double waited = waits.isEmpty() ? 0 : waits.get(waits.size() - 1);
        if (waited >= 0.5 && waited >= 0.1 * seconds) {
            // Worth a word only when the engine sat idle for a noticeable share of the epoch.
            tail.append(" - waited ").append(Math.round(waited)).append("s for data");
        }
        String perStep = perStep(batches == 0 ? 0 : seconds / batches);
        String line;
        if (verbose == 1) {
            String timing = " - " + Math.round(seconds) + "s " + perStep;
            line = counter + bar(batches, batches, barWidth(counter, timing + tail)) + timing + tail;
        } else {
            line = counter + " - " + Math.round(seconds) + "s - " + perStep + tail;
        }
        if (terminal && drawn > 0) {
            out.print('\r'); // over the redrawn bar (whose row every redraw blanked to its widest)
        }
        out.println(line);
        drawn = 0;
        out.flush();
    }

    /** The bar's width so that {@code counter + bar + tail} fits the terminal; 0 for no bar. */
    private int barWidth(String counter, String tail) {
        if (!terminal) {
            return BAR; // a log file has no width to fit
        }
        int room = columns - 1 - counter.length() - tail.length() - 3;
        return room >= BAR ? BAR : room >= MIN_BAR ? room : 0;
    }

    /** The line cut to the terminal's width minus one (a full-width line wraps on some terminals). */
    private String fit(String counter, String bar, String tail) {
        String line = counter + bar + tail;
        return line.length() <= columns - 1 ? line : line.substring(0, Math.max(0, columns - 1));
    }

    private void redraw(String line) {
        out.print('\r');
        out.print(line);
        if (line.length() < drawn) {
            out.print(" ".repeat(drawn - line.length()));
        }
        drawn = Math.max(drawn, line.length());
        out.flush();
    }

    private static String counter(int done, int total) {
        String t = Integer.toString(total);
        String d = Integer.toString(done);
        return " ".repeat(t.length() - d.length()) + d + "/" + t;
    }

    /** {@code " [=====>....]"}, Keras's bar of {@code width} characters, or nothing when there is no room. */
    private static String bar(int done, int total, int width) {
        if (width == 0) {
            return "";
        }
        int filled = (int) ((long) width * done / total);
        StringBuilder b = new StringBuilder(" [");
        if (filled > 0) {
            b.append("=".repeat(filled - 1)).append(done < total ? '>' : '=');
        }
        return b.append(".".repeat(width - filled)).append(']').toString();
    }

    static String number(double v) {
        double a = Math.abs(v);
        return a != 0 && (a >= 1e5 || a < 1e-3)
                ? String.format(Locale.ROOT, "%.4e", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Keras's ETA: {@code 7s}, {@code 2:05}, {@code 1:01:05}. */
    static String eta(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return s + "s";
    }

    /** Keras's time per step: {@code 2s/step}, {@code 5ms/step}, {@code 80us/step}. */
    static String perStep(double seconds) {
        if (seconds >= 1) {
            return Math.round(seconds) + "s/step";
        }
        if (seconds >= 1e-3) {
            return Math.round(seconds * 1e3) + "ms/step";
        }
        return Math.round(seconds * 1e6) + "us/step";
    }

    /**
     * Whether standard output is a terminal: on JDK 17-21 {@code System.console()} is null exactly
     * when it is not (JDK 22 returns a console either way and adds {@code isTerminal()}).
     */
    @SuppressWarnings("SystemConsoleNull") // the JDK 17-21 meaning is the one this code relies on
    private static boolean attached() {
        return System.console() != null;
    }
}
