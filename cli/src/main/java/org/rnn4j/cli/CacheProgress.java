package org.rnn4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.rnn4j.data.cache.BuildProgress;
import org.rnn4j.zoo.plan.Streaming;

/**
 * The progress line of a cache build on stderr (rows or characters per second, the share of the
 * file read, the time left): redrawn in place on a terminal; in a log, one line every five seconds
 * and the last.
 */
final class CacheProgress implements BuildProgress {
    private final PrintWriter err;
    private final boolean terminal;
    private long lastPrinted = -1;

    CacheProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * A command's streaming choice: files too large to prepare in memory stream from a cache built
     * once, with this progress and a line about each cache on {@code err}.
     */
    static Streaming streaming(PrintWriter err) {
        return Streaming.auto(new CacheProgress(err, Terminal.attached()), line -> {
            err.println(line);
            err.flush();
        });
    }

    @Override
    public void update(String what, long items, long bytesRead, long totalBytes, long nanos, boolean done) {
        if (!done && !terminal && lastPrinted >= 0 && nanos - lastPrinted < 5_000_000_000L) {
            return;
        }
        if (!done && !terminal && lastPrinted < 0 && nanos < 5_000_000_000L) {
            return; // a log gets a line only for builds longer than a few seconds, and the last one
        }
        lastPrinted = nanos;
        double seconds = nanos / 1e9;
        double fraction = totalBytes == 0 ? 1 : bytesRead / (double) totalBytes;
        String unit = what.startsWith("column") ? "rows" : "characters";
        String line = String.format(
                Locale.ROOT,
                "Building the %s: %,d %s (%.0f%%), %s %s/s, %s",
                what,
                items,
                unit,
                100 * fraction,
                rate(items / Math.max(seconds, 1e-9)),
                unit,
                done
                        ? "done in " + duration(seconds)
                        : "ETA " + duration(seconds * (1 - fraction) / Math.max(fraction, 1e-9)));
        err.print(terminal ? "\r" + line + (done ? "\n" : "   ") : line + "\n");
        err.flush();
    }

    /** {@code 12.3s}, {@code 4m05s}, {@code 2h03m}. */
    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600
                ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    private static String rate(double perSecond) {
        return perSecond >= 1e6
                ? String.format(Locale.ROOT, "%.1fM", perSecond / 1e6)
                : String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
