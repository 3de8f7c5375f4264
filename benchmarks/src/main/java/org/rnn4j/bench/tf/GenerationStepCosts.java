package org.rnn4j.bench.tf;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.rnn4j.bench.Workload;
import org.rnn4j.bench.rnn4j.Rnn4jInference;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * Where a W2 generation step's time goes (not a test, not part of {@code run.sh}): the
 * hand-written one-step graph ({@link TfBaselineInference#generationStep}) through TensorFlow's
 * inter-op pool and on the calling thread, rnn4j's ({@link Rnn4jInference#generationStep}, a
 * {@code Model.stream(1).step}), and two floors on the calling thread: a run of one {@code
 * Identity} (the fixed cost of a session run) and the recurrent product {@code h . U} alone
 * ({@code [1, 256] x [256, 1024]}). Interleaved in one JVM, medians per round:
 *
 * <pre>
 * benchmarks/manual.sh step-costs [calls per round = 5000] [rounds = 5]
 * </pre>
 */
public final class GenerationStepCosts {
    private GenerationStepCosts() {}

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int units = Workload.W2.sizes(false).units();
        RunOptions callerThread = TfBaselineInference.IN_CALLER_THREAD;
        try (TfBaselineInference pool = new TfBaselineInference(false, TfForm.PLAIN, false);
                TfBaselineInference inline = new TfBaselineInference(false, TfForm.PLAIN, true);
                Rnn4jInference rnn4j = new Rnn4jInference("tf", false);
                Graph floors = new Graph()) {
            Ops f = Ops.create(floors);
            Placeholder<TFloat32> x = f.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, units)));
            Placeholder<TFloat32> u = f.placeholder(TFloat32.class, Placeholder.shape(Shape.of(units, 4L * units)));
            Operand<TFloat32> identity = f.identity(x);
            Operand<TFloat32> product = f.linalg.matMul(x, u);
            try (Session s = new Session(floors, TfBaselineConfig.config());
                    TFloat32 h = TFloat32.tensorOf(Shape.of(1, units));
                    TFloat32 weights = TFloat32.tensorOf(Shape.of(units, 4L * units))) {
                IntSupplier bare = () -> {
                    try (Result r = s.runner()
                            .setOptions(callerThread)
                            .feed(x, h)
                            .fetch(identity)
                            .run()) {
                        return r.size();
                    }
                };
                IntSupplier hu = () -> {
                    try (Result r = s.runner()
                            .setOptions(callerThread)
                            .feed(x, h)
                            .feed(u, weights)
                            .fetch(product)
                            .run()) {
                        return r.size();
                    }
                };
                List<String> names = List.of(
                        "hand-written, inter-op pool",
                        "hand-written, calling thread",
                        "rnn4j Model.stream(1).step",
                        "floor: one Identity",
                        "floor: h.U alone");
                List<IntSupplier> cases =
                        List.of(pool::generationStep, inline::generationStep, rnn4j::generationStep, bare, hu);
                long sink = 0;
                for (int round = 0; round < rounds; round++) {
                    StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
                    for (int k = 0; k < cases.size(); k++) {
                        long[] ns = new long[calls];
                        for (int i = 0; i < calls; i++) {
                            long t0 = System.nanoTime();
                            sink += cases.get(k).getAsInt();
                            ns[i] = System.nanoTime() - t0;
                        }
                        Arrays.sort(ns);
                        line.append(String.format(Locale.ROOT, "  %s %.1f us;", names.get(k), ns[calls / 2] / 1e3));
                    }
                    System.out.println(line);
                }
                System.out.println("(checksum " + sink + ")");
            }
        }
    }
}
