package org.rnn4j.bench.tf;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.bench.SyntheticData;
import org.rnn4j.bench.Workload;
import org.rnn4j.bench.rnn4j.Rnn4jModels;
import org.rnn4j.bootstrap.Rnn4j;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Where a W2 generation step's time goes (not a test, not part of {@code run.sh}): the
 * hand-written one-step graph through TensorFlow's inter-op pool and on the calling thread,
 * rnn4j's {@code Model.stream(1).step}, and two floors on the calling thread: a run of one
 * {@code Identity} (the fixed cost of a session run) and the recurrent product {@code h . U}
 * alone ({@code [1, 256] x [256, 1024]}). Interleaved in one JVM, medians per round:
 *
 * <pre>
 * benchmarks/manual.sh step-costs [calls per round = 5000] [rounds = 5]
 * </pre>
 */
public final class GenerationStepCosts {
    private static final RunOptions IN_CALLER_THREAD =
            RunOptions.newBuilder().setInterOpThreadPool(-1).build();

    private GenerationStepCosts() {}

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Workload.Sizes w2 = Workload.W2.sizes(false);
        try (Graph g = new Graph();
                Graph floors = new Graph();
                Backend backend = Rnn4j.backend("tf");
                Model model = Model.create(Rnn4jModels.spec(Workload.W2, w2), backend, SyntheticData.SEED)) {
            TfBaselineNet net = new TfBaselineNet(g, Workload.W2, w2, TfForm.PLAIN);
            Ops tf = net.tf();
            Placeholder<TInt32> id = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            Placeholder<TFloat32> h = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, w2.units())));
            Placeholder<TFloat32> c = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, w2.units())));
            TfBaselineNet.Step step = net.step(id, h, c);
            Ops f = Ops.create(floors);
            Placeholder<TFloat32> x = f.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, w2.units())));
            Placeholder<TFloat32> u =
                    f.placeholder(TFloat32.class, Placeholder.shape(Shape.of(w2.units(), 4L * w2.units())));
            Operand<TFloat32> identity = f.identity(x);
            Operand<TFloat32> product = f.linalg.matMul(x, u);
            try (Session s = new Session(g, TfBaselineConfig.config());
                    Session fs = new Session(floors, TfBaselineConfig.config());
                    TFloat32 zeros = TFloat32.tensorOf(Shape.of(1, w2.units()));
                    TFloat32 weights = TFloat32.tensorOf(Shape.of(w2.units(), 4L * w2.units()))) {
                s.initialize();
                HandWritten pool = new HandWritten(s, id, h, c, step, zeros, null);
                HandWritten inline = new HandWritten(s, id, h, c, step, zeros, IN_CALLER_THREAD);
                org.rnn4j.api.Stream stream = model.stream(1);
                int[] next = {3};
                IntSupplier rnn4j = () -> {
                    float[] p =
                            stream.step(Tensor.ofInts(new int[] {next[0]}, 1)).floatView();
                    next[0] = argmax(p);
                    return next[0];
                };
                IntSupplier one = () -> {
                    try (Result r = fs.runner()
                            .setOptions(IN_CALLER_THREAD)
                            .feed(x, zeros)
                            .fetch(identity)
                            .run()) {
                        return r.size();
                    }
                };
                IntSupplier hu = () -> {
                    try (Result r = fs.runner()
                            .setOptions(IN_CALLER_THREAD)
                            .feed(x, zeros)
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
                List<IntSupplier> cases = List.of(pool::step, inline::step, rnn4j, one, hu);
                int sink = 0;
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
                pool.close();
                inline.close();
                System.out.println("(" + sink + ")");
            }
        }
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The hand-written step as TfBaselineInference runs it, the state fed back as it came out. */
    private static final class HandWritten {
        private final Session session;
        private final Placeholder<TInt32> id;
        private final Placeholder<TFloat32> h;
        private final Placeholder<TFloat32> c;
        private final TfBaselineNet.Step step;
        private final TFloat32 zeros;
        private final RunOptions options;
        private Result last;
        private int next = 3;

        HandWritten(
                Session session,
                Placeholder<TInt32> id,
                Placeholder<TFloat32> h,
                Placeholder<TFloat32> c,
                TfBaselineNet.Step step,
                TFloat32 zeros,
                RunOptions options) {
            this.session = session;
            this.id = id;
            this.h = h;
            this.c = c;
            this.step = step;
            this.zeros = zeros;
            this.options = options;
        }

        int step() {
            Result previous = last;
            try (TInt32 ids = TInt32.vectorOf(next)) {
                Session.Runner r = session.runner();
                if (options != null) {
                    r.setOptions(options);
                }
                last = r.feed(id, ids)
                        .feed(h, previous == null ? zeros : previous.get(1))
                        .feed(c, previous == null ? zeros : previous.get(2))
                        .fetch(step.probabilities())
                        .fetch(step.h())
                        .fetch(step.c())
                        .run();
                float[] p = new float[Math.toIntExact(last.get(0).shape().size())];
                ((TFloat32) last.get(0)).copyTo(DataBuffers.of(p, false, false));
                next = argmax(p);
                return next;
            } finally {
                if (previous != null) {
                    previous.close();
                }
            }
        }

        void close() {
            if (last != null) {
                last.close();
            }
        }
    }
}
