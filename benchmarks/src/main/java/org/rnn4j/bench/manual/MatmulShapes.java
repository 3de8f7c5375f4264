package org.rnn4j.bench.manual;

import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow's float32 {@code MatMul} on one intra-op thread at the shapes of W2's recurrent layer
 * and its gradients, with every combination of the {@code transpose_a} / {@code transpose_b} flags
 * (not a test, not part of {@code run.sh}): the measurement behind autotuning's transposed-weight
 * candidates ({@code plain-t}, {@code hoisted-t}; ARCHITECTURE.md):
 *
 * <pre>
 * benchmarks/manual.sh matmul-shapes
 * </pre>
 *
 * <p>Prints one line per shape {@code M x K x N} (the product's rows, inner size and columns) with
 * the GFLOP/s of the best of 200 runs (10 for the large shapes) for each flag combination.
 */
public final class MatmulShapes {
    private MatmulShapes() {}

    public static void main(String[] args) {
        int[][] shapes = {
            {64, 256, 1024}, // h.U, forwards
            {64, 1024, 256}, // dz.U^T, the recurrent chain backwards
            {256, 64, 1024}, // h^T.dz, the recurrent kernel's gradient
            {64, 1024, 64}, // dz.W^T, the embedding's gradient
            {64, 64, 1024}, // x.W, forwards
            {6400, 256, 1024}, // a hoisted product of 100 steps
            {1024, 64, 256}, // dz^T.h, the gradient of the transposed recurrent kernel U'
            {1024, 32, 256}, // the same, one half of a batch split by rows
            {1024, 6400, 256}, // dz^T.h of 100 steps as one product
            {1024, 3200, 256}, // the same, one half of a batch split by rows
            {256, 6400, 1024}, // h^T.dz of 100 steps as one product
            {1024, 256, 64}, // U'.h^T, the recurrent product gate-major
            {256, 1024, 64}, // U'^T.dz^T, the recurrent chain backwards, gate-major
            {64, 256, 256}, // h.U_g, one gate's recurrent product
            {256, 64, 256} // h^T.dz_g, one gate's kernel gradient
        };
        ConfigProto one = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(1)
                .setInterOpParallelismThreads(1)
                .setGraphOptions(org.tensorflow.proto.GraphOptions.newBuilder()
                        .setRewriteOptions(
                                org.tensorflow.proto.RewriterConfig.newBuilder().setDisableMetaOptimizer(true)))
                .build();
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "M=%d K=%d N=%d:", m, k, n));
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                double gflops = time(one, m, k, n, ta, tb);
                line.append(String.format(Locale.ROOT, "  ta=%d tb=%d %.0f GFLOP/s", ta ? 1 : 0, tb ? 1 : 0, gflops));
            }
            System.out.println(line);
        }
    }

    private static double time(ConfigProto config, int m, int k, int n, boolean ta, boolean tb) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> a = tf.variable(
                    tf.random.randomUniform(tf.constant(ta ? new int[] {k, m} : new int[] {m, k}), TFloat32.class));
            Operand<TFloat32> b = tf.variable(
                    tf.random.randomUniform(tf.constant(tb ? new int[] {n, k} : new int[] {k, n}), TFloat32.class));
            Operand<TFloat32> sum = tf.reduceSum(
                    tf.linalg.matMul(a, b, MatMul.transposeA(ta), MatMul.transposeB(tb)),
                    tf.constant(new int[] {0, 1}));
            try (Session session = new Session(g, config)) {
                session.initialize();
                int runs = (long) m * k * n > 100_000_000L ? 10 : 200;
                for (int i = 0; i < 5; i++) {
                    session.runner().fetch(sum).run().close();
                }
                long best = Long.MAX_VALUE;
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    session.runner().fetch(sum).run().close();
                    best = Math.min(best, System.nanoTime() - t0);
                }
                return 2.0 * m * k * n / best;
            }
        }
    }
}
