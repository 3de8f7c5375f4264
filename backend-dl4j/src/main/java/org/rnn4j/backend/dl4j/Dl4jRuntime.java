package org.rnn4j.backend.dl4j;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Process-wide ND4J settings this backend makes.
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
        Nd4j.factory().blas().setMaxThreads(Integer.getInteger("rnn4j.dl4j.blasThreads", threads));
    }
}
