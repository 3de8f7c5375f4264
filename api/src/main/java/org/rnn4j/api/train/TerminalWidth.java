package org.rnn4j.api.train;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The width of the terminal {@link ProgressBar} draws on; Java itself has no call for it. */
final class TerminalWidth {
    static final int FALLBACK = 80;

    private TerminalWidth() {}

    /** {@code COLUMNS} (shells set it but rarely export it), else {@code stty size} on /dev/tty, else 80. */
    static int detect() {
        int columns = parse(System.getenv("COLUMNS"));
        if (columns > 0) {
            return columns;
        }
        File tty = new File("/dev/tty");
        if (!tty.exists()) {
            return FALLBACK; // Windows, or no controlling terminal
        }
        try {
            Process p = new ProcessBuilder("stty", "size")
                    .redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!p.waitFor(1, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return FALLBACK;
            }
            // "rows columns"
            String[] parts = answer.strip().split("\\s+", -1);
            columns = parts.length == 2 ? parse(parts[1]) : -1;
            return columns > 0 ? columns : FALLBACK;
        } catch (IOException e) {
            return FALLBACK; // no stty on this system: a fixed width is the designed fallback
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FALLBACK;
        }
    }

    static int parse(String s) {
        if (s == null) {
            return -1;
        }
        try {
            int n = Integer.parseInt(s.trim());
            return n > 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1; // not a width: ignored, like an unset variable
        }
    }
}
