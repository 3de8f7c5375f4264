package org.rnn4j.bench.stream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;

/** The benchmark's generated inputs, made from fixed seeds (never committed). */
final class SyntheticFiles {
    private SyntheticFiles() {}

    /**
     * A one-column CSV ({@code close}) of {@code rows} prices: {@code 100 * exp(x)} with the AR(1)
     * walk {@code x[t] = 0.999 x[t-1] + u}, {@code u} uniform in [-0.005, 0.005], six decimals.
     * Stays near 100 (its log has a stationary deviation of about 0.06) however long it runs.
     */
    static Path ar1Csv(Path dir, long rows) throws IOException {
        Path file = dir.resolve("ar1-" + rows + ".csv");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        SplittableRandom r = new SplittableRandom(20240601L);
        double x = 0;
        byte[] line = new byte[32];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            out.write("close\n".getBytes(StandardCharsets.US_ASCII));
            for (long i = 0; i < rows; i++) {
                x = 0.999 * x + (r.nextDouble() - 0.5) * 0.01;
                out.write(line, 0, fixed6(100 * Math.exp(x), line));
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** {@code v} with six decimals and a newline into {@code buf}; returns the length. */
    private static int fixed6(double v, byte[] buf) {
        long micros = Math.round(v * 1e6);
        long whole = micros / 1_000_000;
        long frac = micros % 1_000_000;
        String w = Long.toString(whole);
        int n = 0;
        for (int i = 0; i < w.length(); i++) {
            buf[n++] = (byte) w.charAt(i);
        }
        buf[n++] = '.';
        for (long div = 100_000; div > 0; div /= 10) {
            buf[n++] = (byte) ('0' + (frac / div) % 10);
        }
        buf[n++] = '\n';
        return n;
    }

    /**
     * {@code bytes} of ASCII prose-like text: words of 1 to 9 lowercase letters, sentences of 4 to
     * 20 words starting with a capital and ending with {@code .}, some commas, a newline every 60
     * to 80 characters (57 distinct characters in all).
     */
    static Path text(Path dir, long bytes) throws IOException {
        Path file = dir.resolve("text-" + bytes + ".txt");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        SplittableRandom r = new SplittableRandom(7);
        byte[] buf = new byte[1 << 20];
        long written = 0;
        int line = 0;
        int lineLimit = 60 + r.nextInt(21);
        int wordsLeft = 0;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            int n = 0;
            while (written + n < bytes) {
                if (n > buf.length - 64) {
                    out.write(buf, 0, n);
                    written += n;
                    n = 0;
                    continue;
                }
                boolean start = wordsLeft == 0;
                if (start) {
                    wordsLeft = 4 + r.nextInt(17);
                }
                int len = 1 + r.nextInt(9);
                for (int i = 0; i < len; i++) {
                    char c = (char) ('a' + r.nextInt(26));
                    buf[n++] = (byte) (start && i == 0 ? Character.toUpperCase(c) : c);
                }
                line += len;
                wordsLeft--;
                if (wordsLeft == 0) {
                    buf[n++] = '.';
                } else if (r.nextInt(12) == 0) {
                    buf[n++] = ',';
                }
                if (line >= lineLimit) {
                    buf[n++] = '\n';
                    line = 0;
                    lineLimit = 60 + r.nextInt(21);
                } else {
                    buf[n++] = ' ';
                    line++;
                }
            }
            int last = (int) Math.min(n, bytes - written);
            out.write(buf, 0, last);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
