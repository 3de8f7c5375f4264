package org.rnn4j.backend.tf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.api.graph.BuiltGraph;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.op.nn.BlockLSTMGrad;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * One model built for one mode, sequence length and loss flag: a TensorFlow {@link Graph}, its
 * {@link Session}, and for training graphs the gradient of the loss with respect to every
 * trainable weight. The graph is complete before the session exists, so concurrent
 * {@code Session.run} calls never see it change.
 */
final class TfGraph implements AutoCloseable {
    private final Graph graph;
    private final Session session;
    private final BuiltGraph<Operand<?>> built;
    private final Map<String, Output<?>> gradients;
    private final String description;

    private TfGraph(
            Graph graph,
            Session session,
            BuiltGraph<Operand<?>> built,
            Map<String, Output<?>> gradients,
            String description) {
        this.description = description;
        this.graph = graph;
        this.session = session;
        this.built = built;
        this.gradients = gradients;
    }

    static TfGraph build(
            ModelSpec spec,
            ModelGraph.Mode mode,
            int timeSteps,
            boolean withLoss,
            boolean withGradients,
            ConfigProto config,
            String description) {
        return build(spec, mode, timeSteps, withLoss, withGradients, config, description, true);
    }

    /**
     * @param fusedLstm whether LSTMs that read the model input or a fused LSTM's sequence run as
     *                  TensorFlow's fused op ({@link TfOps#lstm}); else every recurrence is unrolled
     */
    static TfGraph build(
            ModelSpec spec,
            ModelGraph.Mode mode,
            int timeSteps,
            boolean withLoss,
            boolean withGradients,
            ConfigProto config,
            String description,
            boolean fusedLstm) {
        Graph graph = new Graph();
        try {
            TfOps ops = new TfOps(graph, fusedLstm);
            BuiltGraph<Operand<?>> built = ModelGraph.build(spec, ops, mode, timeSteps, withLoss);
            Map<String, Output<?>> gradients = new LinkedHashMap<>();
            if (withGradients) {
                List<String> trainable = spec.weights().stream()
                        .filter(WeightSpec::trainable)
                        .map(WeightSpec::name)
                        .toList();
                if (!trainable.isEmpty()) {
                    gradients.putAll(gradients(graph, built, ops.fused(), trainable));
                }
            }
            Session session = new Session(graph, config);
            return new TfGraph(graph, session, built, gradients, description);
        } catch (RuntimeException | Error e) {
            graph.close();
            throw e;
        }
    }

    /**
     * The loss's gradient for every trainable weight. TensorFlow differentiates the graph down to
     * the weights outside fused LSTMs ({@link TfOps#lstm}) and down to each fused LSTM's output;
     * then, from the top of each stack down, {@code BlockLSTMGradV2} turns the gradient of a fused
     * LSTM's {@code h} into its weights' gradients and the gradient of its input, which is the
     * {@code h} of the fused LSTM below (added to what that one's output got from other paths).
     * The op's {@code cs} output is not used, so its gradient is zero.
     */
    private static Map<String, Output<?>> gradients(
            Graph graph, BuiltGraph<Operand<?>> built, List<TfOps.Fused> fused, List<String> trainable) {
        java.util.IdentityHashMap<Operand<?>, String> names = new java.util.IdentityHashMap<>();
        trainable.forEach(n -> names.put(built.weights().get(n), n));
        java.util.Set<String> viaFused = new java.util.HashSet<>();
        java.util.IdentityHashMap<TfOps.Fused, List<TfOps.Fused>> above = new java.util.IdentityHashMap<>();
        for (TfOps.Fused f : fused) {
            for (Operand<?> w : new Operand<?>[] {f.kernel(), f.recurrentKernel(), f.bias()}) {
                if (w != null && names.containsKey(w)) {
                    viaFused.add(names.get(w));
                }
            }
            if (f.below() != null) {
                above.computeIfAbsent(f.below(), k -> new ArrayList<>()).add(f);
            }
        }
        // TensorFlow refuses to differentiate with respect to what the loss does not reach (a
        // recurrent kernel over one time step); Keras reports zeros for those.
        java.util.Set<String> reached = reachable(built.loss());
        org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(graph);
        Map<String, Output<?>> out = new LinkedHashMap<>();
        trainable.stream()
                .filter(n -> !viaFused.contains(n)
                        && !reached.contains(built.weights().get(n).op().name()))
                .forEach(n -> out.put(n, tf.zerosLike(built.weights().get(n)).asOutput()));
        List<String> direct = trainable.stream()
                .filter(n -> !viaFused.contains(n) && !out.containsKey(n))
                .toList();
        List<Output<?>> xs = new ArrayList<>();
        direct.forEach(n -> xs.add(built.weights().get(n).asOutput()));
        // A stacked layer's h also feeds the fused layer above, whose op TensorFlow cannot differentiate:
        // ask for its handed-out output instead (other paths only), when anything reads that.
        java.util.IdentityHashMap<TfOps.Fused, Integer> asked = new java.util.IdentityHashMap<>();
        for (TfOps.Fused f : fused) {
            if (!above.containsKey(f)) {
                asked.put(f, xs.size());
                xs.add(f.op().h());
            } else if (((org.tensorflow.GraphOperation) f.output().op()).numConsumers() > 0) {
                asked.put(f, xs.size());
                xs.add(f.output().asOutput());
            }
        }
        Output<?>[] dxs = xs.isEmpty()
                ? new Output<?>[0]
                : graph.addGradients(built.loss().asOutput(), xs.toArray(new Output<?>[0]));
        for (int k = 0; k < direct.size(); k++) {
            out.put(direct.get(k), dxs[k]);
        }
        java.util.IdentityHashMap<TfOps.Fused, Operand<TFloat32>> inputGradient = new java.util.IdentityHashMap<>();
        for (int k = fused.size() - 1; k >= 0; k--) {
            TfOps.Fused f = fused.get(k);
            BlockLSTM<TFloat32> op = f.op();
            Operand<TFloat32> dh = asked.containsKey(f) ? floats(dxs[asked.get(f)]) : null;
            if (above.containsKey(f)) {
                if (dh != null) {
                    dh = tf.linalg.transpose(dh, tf.constant(new int[] {1, 0, 2}));
                }
                for (TfOps.Fused up : above.get(f)) {
                    Operand<TFloat32> fromAbove = inputGradient.get(up);
                    dh = dh == null ? fromAbove : tf.math.add(dh, fromAbove);
                }
            }
            BlockLSTMGrad<TFloat32> g = tf.nn.blockLSTMGrad(
                    tf.constant(f.x().shape().asArray()[0]),
                    f.x(),
                    f.state(),
                    f.state(),
                    f.w(),
                    f.peephole(),
                    f.peephole(),
                    f.peephole(),
                    f.b(),
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
            inputGradient.put(f, g.xGrad());
            // dW stacks the kernel's rows over the recurrent kernel's.
            List<Output<TFloat32>> parts = tf.splitV(
                            g.wGrad(), tf.constant(new int[] {f.features(), -1}), tf.constant(0), 2L)
                    .output();
            out.put(names.get(f.kernel()), parts.get(0));
            out.put(names.get(f.recurrentKernel()), parts.get(1));
            if (f.bias() != null) {
                out.put(names.get(f.bias()), g.bGrad());
            }
        }
        Map<String, Output<?>> ordered = new LinkedHashMap<>();
        trainable.forEach(n -> ordered.put(n, out.get(n)));
        return ordered;
    }

    /** The names of the operations {@code y} depends on, itself included. */
    private static java.util.Set<String> reachable(Operand<?> y) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<org.tensorflow.GraphOperation> todo = new java.util.ArrayDeque<>();
        todo.add((org.tensorflow.GraphOperation) y.op());
        while (!todo.isEmpty()) {
            org.tensorflow.GraphOperation op = todo.poll();
            if (seen.add(op.name())) {
                for (int i = 0; i < op.numInputs(); i++) {
                    todo.add((org.tensorflow.GraphOperation) op.input(i).op());
                }
            }
        }
        return seen;
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloat32> floats(Output<?> o) {
        return (Operand<TFloat32>) (Operand<?>) o;
    }

    /** How many ops of a type the graph holds (for tests). */
    int count(String opType) {
        int n = 0;
        for (var it = graph.operations(); it.hasNext(); ) {
            n += it.next().type().equals(opType) ? 1 : 0;
        }
        return n;
    }

    /** What it is, for messages: {@code training graph for 12 time steps}. */
    String description() {
        return description;
    }

    Session session() {
        return session;
    }

    BuiltGraph<Operand<?>> built() {
        return built;
    }

    /** The gradient of the loss by trainable weight name, in Keras order (training graphs only). */
    Map<String, Output<?>> gradients() {
        return gradients;
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            graph.close();
        }
    }
}
