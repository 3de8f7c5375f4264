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
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Split;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.op.nn.BlockLSTMGrad;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A workload's network written straight in TensorFlow ops, the way a TF Java user writes an RNN,
 * in one of the {@link TfForm}s: unrolled with the input projection hoisted out of the loop,
 * unrolled with {@code x_t . W + h . U + b} per step, TensorFlow's fused LSTM op, or an LSTM
 * unrolled gate-major ({@code [units, batch]} states). Gates are in
 * Keras order (i, f, c, o); step 0 skips the recurrent terms (zero initial state). The weights
 * are TensorFlow variables whose initial values are rnn4j's seeded initial weights, so every
 * baseline and rnn4j start from the same numbers.
 */
final class TfBaselineNet {
    /** A variable and the value the network reads (gradients are taken with respect to the read). */
    record Param(String name, Variable<TFloat32> variable, Operand<TFloat32> read, Shape shape) {}

    /** A fused LSTM layer and what its hand-wired gradient reads. */
    private record Block(
            BlockLSTM<TFloat32> op,
            Operand<TFloat32> x,
            Operand<TFloat32> zeros,
            Operand<TFloat32> w,
            Operand<TFloat32> peephole,
            Param kernel,
            Param recurrent,
            Param bias) {}

    private final Ops tf;
    private final Workload workload;
    private final Workload.Sizes sizes;
    private final TfForm form;
    private final List<Param> params = new ArrayList<>();
    /** BLOCK only: the fused layers, bottom first. */
    private final List<Block> blocks = new ArrayList<>();
    /** BLOCK on W2 only: the embedding rows the first fused layer reads (the table's gradient continues from it). */
    private Operand<TFloat32> embedded;

    TfBaselineNet(Graph graph, Workload workload, Workload.Sizes sizes, TfForm form) {
        if (form == TfForm.BLOCK && workload == Workload.W1) {
            throw new IllegalArgumentException("W1 is a SimpleRNN: TensorFlow has no fused op for it (no BLOCK form)");
        }
        if (form == TfForm.GATE_MAJOR && workload == Workload.W1) {
            throw new IllegalArgumentException("W1 is a SimpleRNN: the gate-major form is an LSTM's");
        }
        this.tf = Ops.create(graph);
        this.workload = workload;
        this.sizes = sizes;
        this.form = form;
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
                Param k1 = p.next();
                Param u1 = p.next();
                Param b1 = p.next();
                List<Operand<TFloat32>> xs = inputTerms(timeMajor((Operand<TFloat32>) x, 1), k1, b1);
                Operand<TFloat32> h = null;
                for (int k = 0; k < t; k++) {
                    h = tf.math.tanh(k == 0 ? xs.get(0) : tf.math.add(xs.get(k), tf.linalg.matMul(h, u1.read())));
                }
                return dense(h, p.next().read(), p.next().read());
            }
            case W1B -> {
                Param k1 = p.next();
                Param u1 = p.next();
                Param b1 = p.next();
                Param k2 = p.next();
                Param u2 = p.next();
                Param b2 = p.next();
                Operand<TFloat32> last;
                if (form == TfForm.BLOCK) {
                    Operand<TFloat32> cube =
                            tf.linalg.transpose((Operand<TFloat32>) x, tf.constant(new int[] {1, 0, 2}));
                    Operand<TFloat32> h2 = block(block(cube, k1, u1, b1), k2, u2, b2);
                    last = tf.gather(h2, tf.constant(t - 1), tf.constant(0));
                } else if (form == TfForm.GATE_MAJOR) {
                    List<Operand<TFloat32>> h1 = lstmGateMajor(
                            projectGateMajor(transposed(timeMajor((Operand<TFloat32>) x, 1)), k1, b1), u1);
                    // [units, steps, batch] -> [units, steps * batch]: the upper layer's input, gate-major too
                    Operand<TFloat32> seq1 =
                            tf.reshape(tf.stack(h1, Stack.axis(1L)), tf.constant(new int[] {sizes.units(), -1}));
                    last = transposed(
                            lstmGateMajor(projectGateMajor(seq1, k2, b2), u2).get(t - 1));
                } else {
                    List<Operand<TFloat32>> h1 = lstm(inputTerms(timeMajor((Operand<TFloat32>) x, 1), k1, b1), u1);
                    // The plain form reads the lower layer's steps as they are; the hoisted one stacks them for one
                    // matmul.
                    List<Operand<TFloat32>> in2 = form == TfForm.PLAIN
                            ? plainTerms(h1, k2, b2)
                            : project(
                                    tf.reshape(
                                            tf.stack(h1, Stack.axis(0L)), tf.constant(new int[] {-1, sizes.units()})),
                                    k2,
                                    b2);
                    last = lstm(in2, u2).get(t - 1);
                }
                return dense(last, p.next().read(), p.next().read());
            }
            case W2 -> {
                Operand<TFloat32> table = p.next().read();
                Param k1 = p.next();
                Param u1 = p.next();
                Param b1 = p.next();
                Operand<TFloat32> kd = p.next().read();
                Operand<TFloat32> bd = p.next().read();
                Operand<TInt32> idsTimeMajor = tf.reshape(
                        tf.linalg.transpose((Operand<TInt32>) x, tf.constant(new int[] {1, 0})),
                        tf.constant(new int[] {-1}));
                Operand<TFloat32> emb = tf.gather(table, idsTimeMajor, tf.constant(0));
                Operand<TFloat32> last;
                Operand<TFloat32> seq;
                if (form == TfForm.BLOCK) {
                    embedded = emb;
                    Operand<TFloat32> h =
                            block(tf.reshape(emb, tf.constant(new int[] {t, -1, sizes.embedding()})), k1, u1, b1);
                    last = tf.gather(h, tf.constant(t - 1), tf.constant(0));
                    seq = tf.reshape(h, tf.constant(new int[] {-1, sizes.units()}));
                } else if (form == TfForm.GATE_MAJOR) {
                    List<Operand<TFloat32>> hs = lstmGateMajor(projectGateMajor(transposed(emb), k1, b1), u1);
                    last = transposed(hs.get(t - 1));
                    // [steps, units, batch] -> [steps, batch, units] -> time-major rows
                    seq = tf.reshape(
                            tf.linalg.transpose(tf.stack(hs, Stack.axis(0L)), tf.constant(new int[] {0, 2, 1})),
                            tf.constant(new int[] {-1, sizes.units()}));
                } else {
                    List<Operand<TFloat32>> hs = lstm(inputTerms(emb, k1, b1), u1);
                    last = hs.get(t - 1);
                    seq = tf.reshape(tf.stack(hs, Stack.axis(0L)), tf.constant(new int[] {-1, sizes.units()}));
                }
                return lastStepOnly ? tf.nn.softmax(dense(last, kd, bd)) : dense(seq, kd, bd);
            }
            default -> throw new IllegalArgumentException(workload.id() + " is not a training workload");
        }
    }

    /** One generation step's outputs: the next id's probabilities {@code [batch, vocab]} and the new state. */
    record Step(Operand<TFloat32> probabilities, Operand<TFloat32> h, Operand<TFloat32> c) {}

    /**
     * W2's model for one step from a carried state: ids {@code [batch]}, {@code h} and {@code c}
     * {@code [batch, units]}. The same in every form (one step has nothing to fuse or hoist).
     */
    Step step(Operand<TInt32> ids, Operand<TFloat32> h, Operand<TFloat32> c) {
        if (workload != Workload.W2) {
            throw new IllegalArgumentException("only W2's model generates step by step");
        }
        Operand<TFloat32> x = tf.gather(params.get(0).read(), ids, tf.constant(0));
        Operand<TFloat32> z = tf.nn.biasAdd(
                tf.math.add(
                        tf.linalg.matMul(x, params.get(1).read()),
                        tf.linalg.matMul(h, params.get(2).read())),
                params.get(3).read());
        Split<TFloat32> g = tf.split(tf.constant(1), z, 4L);
        Operand<TFloat32> i = tf.math.sigmoid(g.output().get(0));
        Operand<TFloat32> f = tf.math.sigmoid(g.output().get(1));
        Operand<TFloat32> cc = tf.math.tanh(g.output().get(2));
        Operand<TFloat32> o = tf.math.sigmoid(g.output().get(3));
        Operand<TFloat32> c2 = tf.math.add(tf.math.mul(f, c), tf.math.mul(i, cc));
        Operand<TFloat32> h2 = tf.math.mul(o, tf.math.tanh(c2));
        return new Step(
                tf.nn.softmax(dense(h2, params.get(4).read(), params.get(5).read())), h2, c2);
    }

    /**
     * The gradient of {@code loss} with respect to every parameter's read, in {@link #params()}
     * order. TensorFlow differentiates everything but fused layers; those get {@code
     * BlockLSTMGradV2} from the top layer down, and an embedding below them gets the rest of the
     * chain from TensorFlow again, seeded with the lowest layer's input gradient.
     */
    List<Output<?>> gradients(Graph graph, Operand<TFloat32> loss) {
        if (form != TfForm.BLOCK) {
            return List.of(graph.addGradients(
                    loss.asOutput(),
                    params.stream().map(p -> p.read().asOutput()).toArray(Output<?>[]::new)));
        }
        List<Param> fusedParams = new ArrayList<>();
        for (Block b : blocks) {
            fusedParams.addAll(List.of(b.kernel(), b.recurrent(), b.bias()));
        }
        Param table = workload == Workload.W2 ? params.get(0) : null;
        List<Param> direct = params.stream()
                .filter(p -> !fusedParams.contains(p) && !p.equals(table))
                .toList();
        List<Output<?>> xs = new ArrayList<>();
        direct.forEach(p -> xs.add(p.read().asOutput()));
        Block top = blocks.get(blocks.size() - 1);
        xs.add(top.op().h().asOutput());
        Output<?>[] dxs = graph.addGradients(loss.asOutput(), xs.toArray(Output<?>[]::new));
        java.util.IdentityHashMap<Param, Output<?>> byParam = new java.util.IdentityHashMap<>();
        for (int k = 0; k < direct.size(); k++) {
            byParam.put(direct.get(k), dxs[k]);
        }
        @SuppressWarnings("unchecked")
        Operand<TFloat32> dh = (Operand<TFloat32>) (Operand<?>) dxs[dxs.length - 1];
        for (int k = blocks.size() - 1; k >= 0; k--) {
            Block b = blocks.get(k);
            BlockLSTM<TFloat32> op = b.op();
            BlockLSTMGrad<TFloat32> g = tf.nn.blockLSTMGrad(
                    tf.constant((long) sizes.steps()),
                    b.x(),
                    b.zeros(),
                    b.zeros(),
                    b.w(),
                    b.peephole(),
                    b.peephole(),
                    b.peephole(),
                    b.bias().read(),
                    op.i(),
                    op.cs(),
                    op.f(),
                    op.o(),
                    op.ci(),
                    op.co(),
                    op.h(),
                    tf.zerosLike(op.cs()),
                    dh,
                    false);
            // dW stacks the kernel's rows over the recurrent kernel's.
            List<Output<TFloat32>> parts = tf.splitV(
                            g.wGrad(),
                            tf.constant(new int[] {(int) b.kernel().shape().get(0), -1}),
                            tf.constant(0),
                            2L)
                    .output();
            byParam.put(b.kernel(), parts.get(0));
            byParam.put(b.recurrent(), parts.get(1));
            byParam.put(b.bias(), g.bGrad().asOutput());
            // The layer's input is the layer below's h (or the embedding rows).
            dh = g.xGrad();
        }
        if (table != null) {
            Operand<TFloat32> dEmb = tf.reshape(dh, tf.constant(new int[] {-1, sizes.embedding()}));
            byParam.put(
                    table,
                    graph.addGradients(
                                    "table_grad",
                                    new Output<?>[] {embedded.asOutput()},
                                    new Output<?>[] {table.read().asOutput()},
                                    new Output<?>[] {dEmb.asOutput()})[0]);
        }
        return params.stream().<Output<?>>map(byParam::get).toList();
    }

    /** {@code [batch, steps, f]} to time-major rows {@code [steps * batch, f]}. */
    private Operand<TFloat32> timeMajor(Operand<TFloat32> x, int features) {
        return tf.reshape(
                tf.linalg.transpose(x, tf.constant(new int[] {1, 0, 2})), tf.constant(new int[] {-1, features}));
    }

    /** Each step's input term from time-major rows {@code [steps * batch, f]}, in this net's form. */
    private List<Operand<TFloat32>> inputTerms(Operand<TFloat32> rows, Param kernel, Param bias) {
        if (form == TfForm.PLAIN) {
            int f = Math.toIntExact(kernel.shape().get(0));
            Operand<TFloat32> cube = tf.reshape(rows, tf.constant(new int[] {sizes.steps(), -1, f}));
            List<Operand<TFloat32>> xs = new ArrayList<>(sizes.steps());
            for (Operand<TFloat32> s : tf.unstack(cube, (long) sizes.steps(), Unstack.axis(0L))) {
                xs.add(s);
            }
            return plainTerms(xs, kernel, bias);
        }
        return project(rows, kernel, bias);
    }

    /** {@code x_t . W + b} per step, each its own matmul. */
    private List<Operand<TFloat32>> plainTerms(List<Operand<TFloat32>> xs, Param kernel, Param bias) {
        List<Operand<TFloat32>> out = new ArrayList<>(xs.size());
        for (Operand<TFloat32> x : xs) {
            out.add(tf.nn.biasAdd(tf.linalg.matMul(x, kernel.read()), bias.read()));
        }
        return out;
    }

    /** One matmul for every step's input term, then one {@code [batch, gates]} value per step. */
    private List<Operand<TFloat32>> project(Operand<TFloat32> rows, Param kernel, Param bias) {
        int steps = sizes.steps();
        Operand<TFloat32> z = tf.math.add(tf.linalg.matMul(rows, kernel.read()), bias.read());
        int gates = Math.toIntExact(kernel.shape().get(1));
        Operand<TFloat32> cube = tf.reshape(z, tf.constant(new int[] {steps, -1, gates}));
        List<Operand<TFloat32>> out = new ArrayList<>(steps);
        for (Operand<TFloat32> s : tf.unstack(cube, (long) steps, Unstack.axis(0L))) {
            out.add(s);
        }
        return out;
    }

    /** Keras's LSTM over per-step input terms; returns h of every step. */
    private List<Operand<TFloat32>> lstm(List<Operand<TFloat32>> xs, Param u) {
        List<Operand<TFloat32>> hs = new ArrayList<>(xs.size());
        Operand<TFloat32> h = null;
        Operand<TFloat32> c = null;
        for (int k = 0; k < xs.size(); k++) {
            Operand<TFloat32> z = k == 0 ? xs.get(0) : tf.math.add(xs.get(k), tf.linalg.matMul(h, u.read()));
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

    /** {@code x^T} of a matrix. */
    private Operand<TFloat32> transposed(Operand<TFloat32> x) {
        return tf.linalg.transpose(x, tf.constant(new int[] {1, 0}));
    }

    /**
     * Gate-major input terms: {@code W^T . x^T + b} for every step as one product over the input's
     * columns {@code [f, steps * batch]} (time-major), then one {@code [gates, batch]} value per step.
     */
    private List<Operand<TFloat32>> projectGateMajor(Operand<TFloat32> columns, Param kernel, Param bias) {
        int steps = sizes.steps();
        int gates = Math.toIntExact(kernel.shape().get(1));
        Operand<TFloat32> z = tf.math.add(
                tf.linalg.matMul(transposed(kernel.read()), columns),
                tf.reshape(bias.read(), tf.constant(new int[] {gates, 1})));
        Operand<TFloat32> cube = tf.reshape(z, tf.constant(new int[] {gates, steps, -1}));
        List<Operand<TFloat32>> out = new ArrayList<>(steps);
        for (Operand<TFloat32> s : tf.unstack(cube, (long) steps, Unstack.axis(1L))) {
            out.add(s);
        }
        return out;
    }

    /** Keras's LSTM on {@code [units, batch]} states over gate-major input terms; returns {@code h^T} of every step. */
    private List<Operand<TFloat32>> lstmGateMajor(List<Operand<TFloat32>> xs, Param u) {
        Operand<TFloat32> ut = transposed(u.read());
        List<Operand<TFloat32>> hs = new ArrayList<>(xs.size());
        Operand<TFloat32> h = null;
        Operand<TFloat32> c = null;
        for (int k = 0; k < xs.size(); k++) {
            Operand<TFloat32> z = k == 0 ? xs.get(0) : tf.math.addN(List.of(xs.get(k), tf.linalg.matMul(ut, h)));
            Split<TFloat32> g = tf.split(tf.constant(0), z, 4L);
            Operand<TFloat32> i = tf.math.sigmoid(g.output().get(0));
            Operand<TFloat32> f = tf.math.sigmoid(g.output().get(1));
            Operand<TFloat32> cc = tf.math.tanh(g.output().get(2));
            Operand<TFloat32> o = tf.math.sigmoid(g.output().get(3));
            c = k == 0 ? tf.math.mul(i, cc) : tf.math.addN(List.of(tf.math.mul(f, c), tf.math.mul(i, cc)));
            h = tf.math.mul(o, tf.math.tanh(c));
            hs.add(h);
        }
        return hs;
    }

    /** TensorFlow's fused LSTM over a time-major {@code [steps, batch, f]} input; returns h {@code [steps, batch, units]}. */
    private Operand<TFloat32> block(Operand<TFloat32> x, Param kernel, Param recurrent, Param bias) {
        int u = sizes.units();
        Operand<TInt32> batch = tf.gather(tf.shape(x), tf.constant(1), tf.constant(0));
        Operand<TFloat32> zeros = tf.fill(tf.stack(List.of(batch, tf.constant(u))), tf.constant(0f));
        Operand<TFloat32> w = tf.concat(List.of(kernel.read(), recurrent.read()), tf.constant(0));
        Operand<TFloat32> peephole = tf.zeros(tf.constant(new int[] {u}), TFloat32.class);
        BlockLSTM<TFloat32> op = tf.nn.blockLSTM(
                tf.constant((long) sizes.steps()),
                x,
                zeros,
                zeros,
                w,
                peephole,
                peephole,
                peephole,
                bias.read(),
                BlockLSTM.cellClip(-1f),
                BlockLSTM.usePeephole(false));
        blocks.add(new Block(op, x, zeros, w, peephole, kernel, recurrent, bias));
        return op.h();
    }

    private Operand<TFloat32> dense(Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias) {
        return tf.math.add(tf.linalg.matMul(x, kernel), bias);
    }
}
