package org.rnn4j.bench.dl4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The ND4J matmul peak: {@code Nd4j.gemm} of two {@code n x n} float matrices into a preallocated result (OpenBLAS sgemm). */
public final class Nd4jMatmul {
    private Nd4jMatmul() {}

    /** Seconds of each of {@code repeats} runs, after one untimed run. */
    public static double[] seconds(int n, int repeats) {
        Nd4j.getRandom().setSeed(1);
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n).subi(0.5);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        double[] out = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            out[r] = (System.nanoTime() - start) / 1e9;
        }
        return out;
    }

    /**
     * Pins ND4J to {@code n} op threads and {@code n} OpenBLAS threads, as a user who tuned DL4J
     * for small recurrent models would ({@code OMP_NUM_THREADS=n} does the same at start-up).
     */
    public static void pinThreads(int n) {
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }

    /**
     * The threads ND4J's ops run on: its "master" thread count, which libnd4j's parallel loops use
     * (from OMP_NUM_THREADS, else the core count, unless set since). {@code maxThreads()} is not it:
     * in 1.0.0-M2.1 setting it below the pool size leaves its getter unchanged.
     */
    public static int maxThreads() {
        return Nd4j.getEnvironment().maxMasterThreads();
    }

    /** OpenBLAS's thread count (matrix products). */
    public static int blasThreads() {
        return Nd4j.factory().blas().getMaxThreads();
    }
}
