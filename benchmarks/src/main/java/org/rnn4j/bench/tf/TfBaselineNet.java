package org.rnn4j.bench.tf;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.api.weights.WeightStore;
import org.rnn4j.bench.SyntheticData;
import org.rnn4j.bench.Workload;
import org.rnn4j.bench.rnn4j.Rnn4jModels;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Split;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A workload's network written straight in TensorFlow ops, the way a TF Java user unrolls an RNN:
 * the input is made time-major once, the input projection of all steps is one matmul, each step
 * adds {@code h . U} and splits the gates (Keras order i, f, c, o), and step 0 skips the
 * recurrent terms (zero initial state). The weights are TensorFlow variables whose initial values
 * are rnn4j's seeded initial weights, so baseline and rnn4j start from the same numbers.
 */
final class TfBaselineNet {
    /** A variable and the value the network reads (gradients are taken with respect to the read). */
    record Param(String name, Variable<TFloat32> variable, Operand<TFloat32> read, Shape shape) {}

    private final Ops tf;
    private final Workload workload;
    private final Workload.Sizes sizes;
    private final List<Param> params = new ArrayList<>();

    TfBaselineNet(Graph graph, Workload workload, Workload.Sizes sizes) {
        this.tf = Ops.create(graph);
        this.workload = workload;
        this.sizes = sizes;
        ModelSpec spec = Rnn4jModels.spec(workload, sizes);
        WeightStore initial = WeightInitializer.initialized(spec.weights(), SyntheticData.SEED);
        for (WeightSpec w : spec.weights()) {
            long[] dims = w.shape().stream().mapToLong(Integer::longValue).toArray();
            Shape shape = Shape.of(dims);
            Variable<TFloat32> v = tf.withName(w.name().replace('/', '.'))
                    .variable(tf.constant(shape, DataBuffers.of(initial.array(w.name()))));
            params.add(new Param(w.name(), v, tf.identity(v), shape));
        }
    }

    Ops tf() {
        return tf;
    }

    List<Param> params() {
        return params;
    }

    /**
     * The forward pass. Windows {@code x [batch, steps, 1]} give the forecast {@code [batch, 1]};
     * token ids {@code x [batch, steps]} give the logits of every step, time-major {@code [steps *
     * batch, vocab]}, or with {@code lastStepOnly} the probabilities of the last step {@code [batch, vocab]}.
     */
    @SuppressWarnings("unchecked")
    Operand<TFloat32> forward(Operand<?> x, boolean lastStepOnly) {
        Iterator<Param> p = params.iterator();
        int t = sizes.steps();
        switch (workload) {
            case W1 -> {
                Operand<TFloat32> k1 = p.next().read();
                Operand<TFloat32> u1 = p.next().read();
                Operand<TFloat32> b1 = p.next().read();
                List<Operand<TFloat32>> xs = project(timeMajor((Operand<TFloat32>) x, 1), t, k1, b1);
                Operand<TFloat32> h = null;
                for (int k = 0; k < t; k++) {
                    h = tf.math.tanh(k == 0 ? xs.get(0) : tf.math.add(xs.get(k), tf.linalg.matMul(h, u1)));
                }
                return dense(h, p.next().read(), p.next().read());
            }
            case W1B -> {
                Operand<TFloat32> k1 = p.next().read();
                Operand<TFloat32> u1 = p.next().read();
                Operand<TFloat32> b1 = p.next().read();
                List<Operand<TFloat32>> h1 = lstm(project(timeMajor((Operand<TFloat32>) x, 1), t, k1, b1), u1);
                Operand<TFloat32> k2 = p.next().read();
                Operand<TFloat32> u2 = p.next().read();
                Operand<TFloat32> b2 = p.next().read();
                Operand<TFloat32> seq =
                        tf.reshape(tf.stack(h1, Stack.axis(0L)), tf.constant(new int[] {-1, sizes.units()}));
                List<Operand<TFloat32>> h2 = lstm(project(seq, t, k2, b2), u2);
                return dense(h2.get(t - 1), p.next().read(), p.next().read());
            }
            case W2 -> {
                Operand<TFloat32> table = p.next().read();
                Operand<TFloat32> k1 = p.next().read();
                Operand<TFloat32> u1 = p.next().read();
                Operand<TFloat32> b1 = p.next().read();
                Operand<TFloat32> kd = p.next().read();
                Operand<TFloat32> bd = p.next().read();
                Operand<TInt32> idsTimeMajor = tf.reshape(
                        tf.linalg.transpose((Operand<TInt32>) x, tf.constant(new int[] {1, 0})),
                        tf.constant(new int[] {-1}));
                Operand<TFloat32> emb = tf.gather(table, idsTimeMajor, tf.constant(0));
                List<Operand<TFloat32>> hs = lstm(project(emb, t, k1, b1), u1);
                if (lastStepOnly) {
                    return tf.nn.softmax(dense(hs.get(t - 1), kd, bd));
                }
                Operand<TFloat32> seq =
                        tf.reshape(tf.stack(hs, Stack.axis(0L)), tf.constant(new int[] {-1, sizes.units()}));
                return dense(seq, kd, bd);
            }
            default -> throw new IllegalArgumentException(workload.id() + " is not a training workload");
        }
    }

    /** {@code [batch, steps, f]} to time-major rows {@code [steps * batch, f]}. */
    private Operand<TFloat32> timeMajor(Operand<TFloat32> x, int features) {
        return tf.reshape(
                tf.linalg.transpose(x, tf.constant(new int[] {1, 0, 2})), tf.constant(new int[] {-1, features}));
    }

    /** One matmul for every step's input term, then one {@code [batch, gates]} value per step. */
    private List<Operand<TFloat32>> project(
            Operand<TFloat32> rows, int steps, Operand<TFloat32> kernel, Operand<TFloat32> bias) {
        Operand<TFloat32> z = tf.math.add(tf.linalg.matMul(rows, kernel), bias);
        int gates = Math.toIntExact(kernel.shape().get(1));
        Operand<TFloat32> cube = tf.reshape(z, tf.constant(new int[] {steps, -1, gates}));
        List<Operand<TFloat32>> out = new ArrayList<>(steps);
        for (Operand<TFloat32> s : tf.unstack(cube, (long) steps, Unstack.axis(0L))) {
            out.add(s);
        }
        return out;
    }

    /** Keras's LSTM over per-step input terms; returns h of every step. */
    private List<Operand<TFloat32>> lstm(List<Operand<TFloat32>> xs, Operand<TFloat32> u) {
        List<Operand<TFloat32>> hs = new ArrayList<>(xs.size());
        Operand<TFloat32> h = null;
        Operand<TFloat32> c = null;
        for (int k = 0; k < xs.size(); k++) {
            Operand<TFloat32> z = k == 0 ? xs.get(0) : tf.math.add(xs.get(k), tf.linalg.matMul(h, u));
            Split<TFloat32> g = tf.split(tf.constant(1), z, 4L);
            Operand<TFloat32> i = tf.math.sigmoid(g.output().get(0));
            Operand<TFloat32> f = tf.math.sigmoid(g.output().get(1));
            Operand<TFloat32> cc = tf.math.tanh(g.output().get(2));
            Operand<TFloat32> o = tf.math.sigmoid(g.output().get(3));
            c = k == 0 ? tf.math.mul(i, cc) : tf.math.add(tf.math.mul(f, c), tf.math.mul(i, cc));
            h = tf.math.mul(o, tf.math.tanh(c));
            hs.add(h);
        }
        return hs;
    }

    private Operand<TFloat32> dense(Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias) {
        return tf.math.add(tf.linalg.matMul(x, kernel), bias);
    }
}
