package org.rnn4j.backend.dl4j;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Process-wide ND4J settings this backend makes.
 *
 * <p><b>Threads.</b> Unless the user chose ({@code OMP_NUM_THREADS} in the environment, or the
 * system properties {@value #THREADS_PROPERTY} and {@value #BLAS_THREADS_PROPERTY}), ND4J's ops
 * run on {@value #DEFAULT_THREADS} thread and OpenBLAS's matrix products on up to
 * {@value #MAX_DEFAULT_BLAS_THREADS} (the core count, capped), set on the first graph build.
 * Recurrent steps are many small element-wise ops, where splitting each over OpenMP threads costs
 * more in fork/join than it saves; the products are where a second core pays. Measured on 2 cores
 * (BENCHMARKS.md, {@code Harness}): op threads 2 instead of 1 made W1b 1.5-2x slower; BLAS threads
 * 2 instead of 1 made W2's LSTM(256) 20% faster and W1b's LSTM(50) 10-15% slower; switching the
 * BLAS count per product cost more than it saved. Fixed counts also keep results bit-identical
 * run after run (OpenBLAS splits a product's rows and columns over threads, never the sums).
 */
final class Dl4jRuntime {
    /** System property naming ND4J's op thread count (and the BLAS count, unless that is named too). */
    static final String THREADS_PROPERTY = "rnn4j.dl4j.threads";

    static final int DEFAULT_THREADS = 1;
    /** System property naming OpenBLAS's thread count alone. */
    static final String BLAS_THREADS_PROPERTY = "rnn4j.dl4j.blasThreads";

    static final int MAX_DEFAULT_BLAS_THREADS = 2;
    private static boolean configured;

    private Dl4jRuntime() {}

    /** The integer system property {@code name}, which must be positive when set, else {@code fallback}. */
    private static int positive(String name, int fallback) {
        String property = System.getProperty(name);
        if (property == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(property.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive integer, got '" + property + "'");
    }

    /** OpenBLAS's thread count before {@link #oneBlasThread} held it to one; 0 while it is not held. */
    private static int heldFrom;

    /**
     * Holds OpenBLAS to one thread until {@link #allBlasThreads}: the parts of a split training step
     * ({@link org.rnn4j.api.backend.SplitProgram}) each run their products on their own thread, where
     * OpenBLAS's threads would only fight them for the cores. Does nothing while already held, so
     * a run of split steps sets the count once: ND4J's setter looks OpenBLAS's function up again on
     * every call, 1.5 ms a set-and-restore pair (one core, the {@code ops} lines of
     * {@code benchmarks/manual.sh dl4j-cores}, 2026-12-06),
     * which every split step paid when the count was restored after each (a W2 step takes about
     * 0.2 s on two cores). The count changes how fast a product runs, never its sums.
     *
     * <p>The count is the process's: while it is held, other ND4J work in the process (after a
     * {@code fit} returns, until the program's next whole call or close) runs its products on one
     * thread too, any program's whole call gives it back (also while another program's split step
     * runs on another thread, which then finishes on the full count), and a count set by hand
     * meanwhile is replaced by the one held from when it is given back.
     */
    static synchronized void oneBlasThread() {
        if (heldFrom > 0) {
            return;
        }
        configure();
        heldFrom = Math.max(1, Nd4j.factory().blas().getMaxThreads());
        Nd4j.factory().blas().setMaxThreads(1);
    }

    /** Gives OpenBLAS back the thread count {@link #oneBlasThread} held; does nothing when it holds none. */
    static synchronized void allBlasThreads() {
        if (heldFrom == 0) {
            return;
        }
        Nd4j.factory().blas().setMaxThreads(heldFrom);
        heldFrom = 0;
    }

    /** Sets ND4J's thread counts once per process (loads ND4J). */
    static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        boolean chosen = System.getProperty(THREADS_PROPERTY) != null;
        if (!chosen && System.getenv("OMP_NUM_THREADS") != null) {
            // The user's OMP_NUM_THREADS, which ND4J already read for both; only an explicit BLAS count overrides it.
            if (System.getProperty(BLAS_THREADS_PROPERTY) != null) {
                Nd4j.factory().blas().setMaxThreads(positive(BLAS_THREADS_PROPERTY, 1));
            }
            return;
        }
        int threads = positive(THREADS_PROPERTY, DEFAULT_THREADS);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        int blasDefault = chosen
                ? threads
                : Math.min(MAX_DEFAULT_BLAS_THREADS, Runtime.getRuntime().availableProcessors());
        Nd4j.factory().blas().setMaxThreads(positive(BLAS_THREADS_PROPERTY, blasDefault));
    }
}
