package org.rnn4j.backend.dl4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Process-wide ND4J settings this backend makes, and the one place it touches {@code System.out}.
 *
 * <p><b>Threads.</b> The graphs here are unrolled recurrences of many small ops (a 32-unit LSTM
 * step is a 32x32 by 32x128 matmul); splitting each over OpenMP threads costs more in fork/join
 * than it saves. Unless the user chose a count ({@code OMP_NUM_THREADS} in the environment, or the
 * system property {@value #THREADS_PROPERTY}), ND4J's op and BLAS threads are set to
 * {@value #DEFAULT_THREADS} on the first graph build (measured on 2 cores: 105 instead of 130 ms
 * per train+predict step of LSTM(32)-GRU(32)-Dense, 20 steps, batch 32). A fixed count also keeps
 * the results bit-identical run after run.
 */
final class Dl4jRuntime {
    /** System property naming ND4J's thread count (op and BLAS threads). */
    static final String THREADS_PROPERTY = "rnn4j.dl4j.threads";
    static final int DEFAULT_THREADS = 1;
    private static final String CHATTER = "Added differentiated op ";
    private static boolean configured;

    private Dl4jRuntime() {
    }

    /** Sets ND4J's thread counts once per process (loads ND4J). */
    static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        String property = System.getProperty(THREADS_PROPERTY);
        int threads;
        if (property != null) {
            try {
                threads = Integer.parseInt(property.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(THREADS_PROPERTY + " must be a positive integer, got '" + property + "'", e);
            }
            if (threads < 1) {
                throw new IllegalArgumentException(THREADS_PROPERTY + " must be a positive integer, got '" + property + "'");
            }
        } else if (System.getenv("OMP_NUM_THREADS") != null) {
            return; // the user's choice; ND4J already read it
        } else {
            threads = DEFAULT_THREADS;
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /**
     * Runs {@code action} with {@code System.out} filtered: SameDiff 1.0.0-M2.1's
     * {@code createGradFunction} prints "Added differentiated op NAME" for every op it
     * differentiates with {@code System.out.println} (no logger to turn off), which would corrupt
     * the CLI's JSON on stdout. Every other line written meanwhile, from any thread, passes through
     * unchanged. {@code System.out} is restored afterwards.
     */
    static synchronized void withoutSameDiffChatter(Runnable action) {
        PrintStream original = System.out;
        LineFilter filter = new LineFilter(original);
        System.setOut(new PrintStream(filter, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.out.flush();
            System.setOut(original);
            filter.flushRest();
        }
    }

    /** Passes whole lines on, except SameDiff's per-op chatter. */
    private static final class LineFilter extends OutputStream {
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineFilter(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void emit() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (!text.startsWith(CHATTER)) {
                target.print(text);
                target.flush();
            }
        }

        synchronized void flushRest() {
            if (line.size() > 0) {
                emit();
            }
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }
}
