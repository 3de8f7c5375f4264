package org.rnn4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resident memory and process age from Linux's {@code /proc/self}. Elsewhere the memory reads
 * return -1 and the age falls back to the JVM's own start time, which misses the first tens of
 * milliseconds of JVM boot.
 */
public final class ProcessStats {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path STAT = Path.of("/proc/self/stat");
    private static final Path UPTIME = Path.of("/proc/uptime");
    /** Linux's USER_HZ, the unit of the start time in /proc/self/stat; 100 on every mainstream kernel. */
    private static final double CLOCK_TICKS = 100.0;

    private ProcessStats() {}

    /** VmRSS: resident memory now, in KiB (-1 where unknown). */
    public static long rssKb() {
        return statusKb("VmRSS:");
    }

    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    /** The highest VmHWM read before a {@link #resetPeakRss}, in KiB. */
    private static long peakBeforeResets = -1;

    /** The peak resident memory of the process so far, in KiB (-1 where unknown), across {@link #resetPeakRss}. */
    public static synchronized long peakRssKb() {
        return Math.max(statusKb("VmHWM:"), peakBeforeResets);
    }

    /**
     * Starts a new window of {@link #windowPeakRssKb}: Linux resets VmHWM to the resident memory now when {@code 5}
     * is written to {@code /proc/self/clear_refs} (kernel 4.0+). The process's peak so far is kept for
     * {@link #peakRssKb}. Returns whether the reset happened.
     */
    public static synchronized boolean resetPeakRss() {
        peakBeforeResets = Math.max(peakBeforeResets, statusKb("VmHWM:"));
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** VmHWM: the peak resident memory since the last {@link #resetPeakRss}, in KiB (-1 where unknown). */
    public static long windowPeakRssKb() {
        return statusKb("VmHWM:");
    }

    /** RssAnon: resident anonymous memory (heap, native buffers) now, in KiB (-1 where unknown). */
    public static long rssAnonKb() {
        return statusKb("RssAnon:");
    }

    /** RssFile: resident file-backed memory (mapped files, libraries) now, in KiB (-1 where unknown). */
    public static long rssFileKb() {
        return statusKb("RssFile:");
    }

    /**
     * Seconds since the process started: {@code /proc/uptime} minus the start time in
     * {@code /proc/self/stat} (10 ms resolution, counts JVM boot), else since the JVM's start time.
     */
    public static double secondsSinceProcessStart() {
        try {
            String stat = Files.readString(STAT);
            // The command name (field 2) may hold spaces; fields after it are counted from the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ", -1);
            double startTicks = Double.parseDouble(f[19]); // field 22 of the full line
            double uptime = Double.parseDouble(Files.readString(UPTIME).trim().split(" ", -1)[0]);
            return uptime - startTicks / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            // Not Linux (or an unexpected format): the JVM's start time is the best we have.
            return (System.currentTimeMillis()
                            - ManagementFactory.getRuntimeMXBean().getStartTime())
                    / 1000.0;
        }
    }

    private static long statusKb(String key) {
        try {
            List<String> lines = Files.readAllLines(STATUS);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+", -1)[0]);
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            // Not Linux: memory is reported as unknown rather than failing the benchmark.
            return -1;
        }
    }
}
