package org.rnn4j.bench.dl4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The ND4J matmul peak: {@code Nd4j.gemm} of two {@code n x n} float matrices into a preallocated result (OpenBLAS sgemm). */
public final class Nd4jMatmul {
    private Nd4jMatmul() {
    }

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

    /** The threads ND4J's native code may use (from OMP_NUM_THREADS, else the core count). */
    public static int maxThreads() {
        return Nd4j.getEnvironment().maxThreads();
    }
}
