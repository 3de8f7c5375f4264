package org.rnn4j.backend.tf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.api.graph.BuiltGraph;
import org.rnn4j.api.graph.BuiltPiece;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.Piece;
import org.rnn4j.api.graph.StepForm;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.op.nn.BlockLSTMGrad;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * One model built for one mode, sequence length and loss flag, or one {@link Piece} of a long
 * sequence: a TensorFlow {@link Graph}, its {@link Session}, and for training graphs the gradients
 * (of the loss, or of a piece's seeded outputs) with respect to every trainable weight and a
 * piece's differentiable inputs. The graph is complete before the session exists, so concurrent
 * {@code Session.run} calls never see it change.
 */
final class TfGraph implements AutoCloseable {
    private final Graph graph;
    private final Session session;
    /** {@link #nativeSession}, once read. */
    private volatile org.tensorflow.internal.c_api.TF_Session nativeSession;

    private final BuiltGraph<Operand<?>> built;
    private final BuiltPiece<Operand<?>> piece;
    private final Map<String, Output<?>> gradients;
    private final Map<String, Output<?>> inputGradients;
    private final Map<String, Operand<?>> seeds;
    private final String description;
    private Piece pieceKey;
    /** How many LSTMs run as TensorFlow's fused op (whole-sequence graphs). */
    private int fusedLayers;
    /** The time chunks of the fused LSTMs of a whole-sequence graph (0: none fused). */
    private int fusedChunks;

    private TfGraph(
            Graph graph,
            Session session,
            BuiltGraph<Operand<?>> built,
            BuiltPiece<Operand<?>> piece,
            Map<String, Output<?>> gradients,
            Map<String, Output<?>> inputGradients,
            Map<String, Operand<?>> seeds,
            String description) {
        this.description = description;
        this.graph = graph;
        this.session = session;
        this.built = built;
        this.piece = piece;
        this.gradients = gradients;
        this.inputGradients = inputGradients;
        this.seeds = seeds;
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
        return build(spec, mode, timeSteps, withLoss, false, withGradients, config, description, fusedLstm, (FormChoice)
                null);
    }

    /**
     * @param weighted the loss reads per-sample weights ({@link ModelGraph#buildWeighted})
     * @param form     every recurrent layer's form (autotuning's choice), or null for {@link TfOps}'s measured rule
     */
    static TfGraph build(
            ModelSpec spec,
            ModelGraph.Mode mode,
            int timeSteps,
            boolean withLoss,
            boolean weighted,
            boolean withGradients,
            ConfigProto config,
            String description,
            boolean fusedLstm,
            StepForm form) {
        return build(
                spec,
                mode,
                timeSteps,
                withLoss,
                weighted,
                withGradients,
                config,
                description,
                fusedLstm,
                form,
                TfOps.pipelineChunks(spec, timeSteps, form, fusedLstm, interOpThreads(config)),
                false);
    }

    /** @param choice every recurrent layer's form, or null for the rule (forms, chunks and weights) */
    static TfGraph build(
            ModelSpec spec,
            ModelGraph.Mode mode,
            int timeSteps,
            boolean withLoss,
            boolean weighted,
            boolean withGradients,
            ConfigProto config,
            String description,
            boolean fusedLstm,
            FormChoice choice) {
        if (choice == null) {
            return build(
                    spec, mode, timeSteps, withLoss, weighted, withGradients, config, description, fusedLstm, (StepForm)
                            null);
        }
        return build(
                spec,
                mode,
                timeSteps,
                withLoss,
                weighted,
                withGradients,
                config,
                description,
                fusedLstm,
                choice.form(),
                choice.chunks(),
                choice.transposed());
    }

    /**
     * @param fusedChunks       the time chunks a stack of fused LSTMs is cut into ({@link TfOps#pipelineChunks}
     *                          is the rule; autotuning also times 1)
     * @param transposedWeights whether products with weight matrices read them transposed (autotuning's
     *                          choice, {@link TfOps#matmul}); the rule does not
     */
    static TfGraph build(
            ModelSpec spec,
            ModelGraph.Mode mode,
            int timeSteps,
            boolean withLoss,
            boolean weighted,
            boolean withGradients,
            ConfigProto config,
            String description,
            boolean fusedLstm,
            StepForm form,
            int fusedChunks,
            boolean transposedWeights) {
        Graph graph = new Graph();
        try {
            TfOps ops = new TfOps(graph, fusedLstm, false, form, false, fusedChunks, transposedWeights);
            BuiltGraph<Operand<?>> built = weighted
                    ? ModelGraph.buildWeighted(spec, ops, mode, timeSteps)
                    : ModelGraph.build(spec, ops, mode, timeSteps, withLoss);
            Map<String, Output<?>> gradients = new LinkedHashMap<>();
            if (withGradients) {
                Map<String, Operand<?>> targets = new LinkedHashMap<>();
                for (WeightSpec w : spec.weights()) {
                    if (w.trainable()) {
                        targets.put(w.name(), built.weights().get(w.name()));
                    }
                }
                if (!targets.isEmpty()) {
                    gradients.putAll(differentiate(
                            graph, List.of(built.loss()), null, targets, ops.fused(), built.weightPenalty()));
                }
            }
            Session session = new Session(graph, config);
            TfGraph g = new TfGraph(graph, session, built, null, gradients, Map.of(), Map.of(), description);
            g.fusedLayers = ops.fused().size();
            g.fusedChunks =
                    ops.fused().isEmpty() ? 0 : ops.fused().get(0).chunks().size();
            return g;
        } catch (RuntimeException | Error e) {
            graph.close();
            throw e;
        }
    }

    /**
     * A piece of a long sequence ({@link ModelGraph#buildPiece}); in training mode with the
     * gradients of its seeded outputs ({@code seed/<name>} placeholders) with respect to its
     * trainable weights and differentiable inputs.
     */
    static TfGraph buildPiece(ModelSpec spec, Piece piece, ConfigProto config, boolean fusedLstm) {
        return buildPiece(spec, piece, config, fusedLstm, null);
    }

    /** @param choice every recurrent layer's form (a forced choice), or null for {@link TfOps}'s measured rule */
    static TfGraph buildPiece(ModelSpec spec, Piece piece, ConfigProto config, boolean fusedLstm, FormChoice choice) {
        StepForm form = choice == null ? null : choice.form();
        Graph graph = new Graph();
        try {
            TfOps ops = new TfOps(
                    graph,
                    fusedLstm,
                    !piece.isHead() && piece.stage() > 0,
                    form,
                    piece.steps() == 1,
                    choice != null
                            ? choice.chunks()
                            : TfOps.pipelineChunks(spec, piece.steps(), form, fusedLstm, interOpThreads(config)),
                    choice != null && choice.transposed());
            BuiltPiece<Operand<?>> built = ModelGraph.buildPiece(spec, ops, piece);
            Map<String, Output<?>> gradients = new LinkedHashMap<>();
            Map<String, Output<?>> inputGradients = new LinkedHashMap<>();
            Map<String, Operand<?>> seeds = new LinkedHashMap<>();
            if (piece.mode() == ModelGraph.Mode.TRAINING) {
                org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(graph);
                List<Operand<?>> ys = new ArrayList<>();
                List<Operand<?>> dys = new ArrayList<>();
                for (String name : built.seeds()) {
                    Operand<?> y = built.outputs().get(name);
                    // TensorFlow's C++ gradient stops its forward sweep at a requested output, so an
                    // output that also feeds another one (a chunk's last h feeds its loss too) would
                    // only get its own seed: each output is differentiated through a leaf Identity.
                    ys.add(tf.identity(y));
                    Operand<?> dy = tf.withName("seed." + name.replace('/', '.'))
                            .placeholder(TFloat32.class, Placeholder.shape(y.shape()));
                    dys.add(dy);
                    seeds.put(name, dy);
                }
                Map<String, Operand<?>> targets = new LinkedHashMap<>();
                for (WeightSpec w : spec.weights()) {
                    if (w.trainable() && built.weights().containsKey(w.name())) {
                        targets.put(w.name(), built.weights().get(w.name()));
                    }
                }
                for (String name : built.differentiable()) {
                    targets.put(INPUT + name, built.inputs().get(name));
                }
                // A piece carries no regularization penalty (regularized models are never cut into pieces).
                Map<String, Output<?>> all = differentiate(graph, ys, dys, targets, ops.fused(), null);
                all.forEach((name, g) -> {
                    if (name.startsWith(INPUT)) {
                        inputGradients.put(name.substring(INPUT.length()), g);
                    } else {
                        gradients.put(name, g);
                    }
                });
            }
            Session session = new Session(graph, config);
            TfGraph g = new TfGraph(graph, session, null, built, gradients, inputGradients, seeds, piece.toString());
            g.pieceKey = piece;
            g.fusedLayers = ops.fused().size();
            g.fusedChunks =
                    ops.fused().isEmpty() ? 0 : ops.fused().get(0).chunks().size();
            return g;
        } catch (RuntimeException | Error e) {
            graph.close();
            throw e;
        }
    }

    /** The inter-op threads a session of {@code config} runs ops on (TensorFlow's choice, 0, is one per core). */
    static int interOpThreads(ConfigProto config) {
        int n = config.getInterOpParallelismThreads();
        return n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    /** Marks a piece input among the differentiation targets (weight names hold no such prefix: they are layer names). */
    private static final String INPUT = "\u0000input:";

    /**
     * The gradients of {@code ys} (weighted by {@code dys}, or the scalar loss alone when null) with
     * respect to every target. TensorFlow differentiates the graph down to the targets outside fused
     * LSTMs ({@link TfOps#lstm}) and down to each fused LSTM's outputs; then, from the top of each
     * stack down, {@code BlockLSTMGradV2} turns the gradients of a fused LSTM's {@code h} (and of its
     * {@code cs}, read by a piece's last cell state) into its weights' gradients, the gradients of
     * its fed initial state, and the gradient of its input, which is the {@code h} of the fused
     * LSTM below (added to what that one's output got from other paths).
     */
    private static Map<String, Output<?>> differentiate(
            Graph graph,
            List<Operand<?>> ys,
            List<Operand<?>> dys,
            Map<String, Operand<?>> targets,
            List<TfOps.Fused> fused,
            Operand<?> weightPenalty) {
        java.util.IdentityHashMap<Operand<?>, String> names = new java.util.IdentityHashMap<>();
        targets.forEach((n, t) -> names.put(t, n));
        java.util.Set<String> viaFused = new java.util.HashSet<>();
        java.util.IdentityHashMap<TfOps.Fused, List<TfOps.Fused>> above = new java.util.IdentityHashMap<>();
        for (TfOps.Fused f : fused) {
            for (Operand<?> w :
                    new Operand<?>[] {f.kernel(), f.recurrentKernel(), f.bias(), f.initialH(), f.initialC()}) {
                if (w != null && names.containsKey(w)) {
                    viaFused.add(names.get(w));
                }
            }
            if (f.below() != null) {
                above.computeIfAbsent(f.below(), k -> new ArrayList<>()).add(f);
            }
        }
        // TensorFlow refuses to differentiate with respect to what the outputs do not reach (a
        // recurrent kernel over one time step); Keras reports zeros for those.
        java.util.Set<String> reached = new java.util.HashSet<>();
        ys.forEach(y -> reached.addAll(reachable(y)));
        org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(graph);
        Map<String, Output<?>> out = new LinkedHashMap<>();
        targets.forEach((n, t) -> {
            if (!viaFused.contains(n) && !reached.contains(t.op().name())) {
                out.put(n, tf.zerosLike(t).asOutput());
            }
        });
        List<String> direct = targets.keySet().stream()
                .filter(n -> !viaFused.contains(n) && !out.containsKey(n))
                .toList();
        List<Output<?>> xs = new ArrayList<>();
        direct.forEach(n -> xs.add(targets.get(n).asOutput()));
        // A stacked layer's h also feeds the fused layer above, whose op TensorFlow cannot differentiate:
        // ask for its handed-out output instead (other paths only), when anything reads that.
        java.util.IdentityHashMap<TfOps.Fused, Integer> askedH = new java.util.IdentityHashMap<>();
        java.util.IdentityHashMap<TfOps.Fused, Integer> askedCs = new java.util.IdentityHashMap<>();
        for (TfOps.Fused f : fused) {
            if (!above.containsKey(f)) {
                askedH.put(f, xs.size());
                xs.add(f.h().asOutput());
            } else if (((org.tensorflow.GraphOperation) f.output().op()).numConsumers() > 0) {
                askedH.put(f, xs.size());
                xs.add(f.output().asOutput());
            }
            if (f.cs() != null
                    && consumed(f.cs().asOutput())
                    && reached.contains(f.cs().op().name())) {
                askedCs.put(f, xs.size());
                xs.add(f.cs().asOutput());
            }
        }
        Output<?>[] dxs;
        if (xs.isEmpty()) {
            dxs = new Output<?>[0];
        } else if (dys == null) {
            dxs = graph.addGradients(ys.get(0).asOutput(), xs.toArray(new Output<?>[0]));
        } else {
            dxs = graph.addGradients(
                    "gradients",
                    ys.stream().map(Operand::asOutput).toArray(Output<?>[]::new),
                    xs.toArray(new Output<?>[0]),
                    dys.stream().map(Operand::asOutput).toArray(Output<?>[]::new));
        }
        for (int k = 0; k < direct.size(); k++) {
            out.put(direct.get(k), dxs[k]);
        }
        // per fused layer, the gradient of its input chunk by chunk (the h of the layer below)
        java.util.IdentityHashMap<TfOps.Fused, List<Operand<TFloat32>>> inputGradient =
                new java.util.IdentityHashMap<>();
        for (int k = fused.size() - 1; k >= 0; k--) {
            TfOps.Fused f = fused.get(k);
            List<TfOps.Chunk> chunks = f.chunks();
            int n = chunks.size();
            List<Operand<TFloat32>> dh = new ArrayList<>(java.util.Collections.nCopies(n, null));
            if (askedH.containsKey(f)) {
                Operand<TFloat32> whole = floats(dxs[askedH.get(f)]);
                if (above.containsKey(f)) {
                    whole = tf.linalg.transpose(whole, tf.constant(new int[] {1, 0, 2}));
                }
                dh = perChunk(tf, whole, f);
            }
            if (above.containsKey(f)) {
                for (TfOps.Fused up : above.get(f)) {
                    List<Operand<TFloat32>> fromAbove = inputGradient.get(up);
                    for (int c = 0; c < n; c++) {
                        dh.set(c, dh.get(c) == null ? fromAbove.get(c) : tf.math.add(dh.get(c), fromAbove.get(c)));
                    }
                }
            }
            List<Operand<TFloat32>> dcs = askedCs.containsKey(f)
                    ? perChunk(tf, floats(dxs[askedCs.get(f)]), f)
                    : new ArrayList<>(java.util.Collections.nCopies(n, null));
            List<Operand<TFloat32>> dx = new ArrayList<>(java.util.Collections.nCopies(n, null));
            List<Operand<TFloat32>> dw = new ArrayList<>();
            List<Operand<TFloat32>> db = new ArrayList<>();
            BlockLSTMGrad<TFloat32> g = null;
            // last chunk first: each hands the gradient of the state it started from to the one before
            for (int c = n - 1; c >= 0; c--) {
                TfOps.Chunk chunk = chunks.get(c);
                BlockLSTM<TFloat32> op = chunk.op();
                Operand<TFloat32> dhc = dh.get(c) != null ? dh.get(c) : tf.zerosLike(op.h());
                Operand<TFloat32> dcsc = dcs.get(c) != null ? dcs.get(c) : tf.zerosLike(op.cs());
                if (g != null) {
                    dhc = tf.math.add(dhc, atLastStep(tf, g.hPrevGrad(), chunk.steps()));
                    dcsc = tf.math.add(dcsc, atLastStep(tf, g.csPrevGrad(), chunk.steps()));
                }
                g = tf.nn.blockLSTMGrad(
                        tf.constant((long) chunk.steps()),
                        chunk.x(),
                        chunk.csPrev(),
                        chunk.hPrev(),
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
                        dcsc,
                        dhc,
                        false);
                dx.set(c, g.xGrad());
                dw.add(g.wGrad());
                db.add(g.bGrad());
            }
            inputGradient.put(f, dx);
            // dW stacks the kernel's rows over the recurrent kernel's.
            List<Output<TFloat32>> parts = tf.splitV(
                            sum(tf, dw), tf.constant(new int[] {f.features(), -1}), tf.constant(0), 2L)
                    .output();
            putIfTarget(out, names, f.kernel(), parts.get(0));
            putIfTarget(out, names, f.recurrentKernel(), parts.get(1));
            putIfTarget(out, names, f.bias(), sum(tf, db));
            putIfTarget(out, names, f.initialH(), g.hPrevGrad());
            putIfTarget(out, names, f.initialC(), g.csPrevGrad());
        }
        addPenaltyGradients(graph, tf, weightPenalty, targets, viaFused, out);
        Map<String, Output<?>> ordered = new LinkedHashMap<>();
        targets.keySet().forEach(n -> ordered.put(n, out.get(n)));
        return ordered;
    }

    /** A time-major gradient of a whole fused layer cut into its chunks (itself when there is one). */
    private static List<Operand<TFloat32>> perChunk(org.tensorflow.op.Ops tf, Operand<TFloat32> whole, TfOps.Fused f) {
        long[] steps = f.steps();
        if (steps.length == 1) {
            return new ArrayList<>(List.of(whole));
        }
        return new ArrayList<>(tf.splitV(whole, tf.constant(steps), tf.constant(0), (long) steps.length)
                .output());
    }

    /** {@code [batch, units]} as the last step of {@code [steps, batch, units]} zeros. */
    private static Operand<TFloat32> atLastStep(org.tensorflow.op.Ops tf, Operand<TFloat32> g, int steps) {
        return tf.pad(
                tf.expandDims(g, tf.constant(0)),
                tf.constant(new int[][] {{steps - 1, 0}, {0, 0}, {0, 0}}),
                tf.constant(0f));
    }

    /** The sum of one or more same-shape gradients. */
    private static Operand<TFloat32> sum(org.tensorflow.op.Ops tf, List<Operand<TFloat32>> parts) {
        return parts.size() == 1 ? parts.get(0) : tf.math.addN(parts);
    }

    /**
     * A fused LSTM's weights reach the loss through the op (differentiated by hand above) and, when
     * they have regularizers, through the weight penalty, which TensorFlow differentiates here: the
     * penalty reads the weights directly, so no fused op lies on that path.
     */
    private static void addPenaltyGradients(
            Graph graph,
            org.tensorflow.op.Ops tf,
            Operand<?> weightPenalty,
            Map<String, Operand<?>> targets,
            java.util.Set<String> viaFused,
            Map<String, Output<?>> out) {
        if (weightPenalty == null) {
            return;
        }
        java.util.Set<String> reached = reachable(weightPenalty);
        List<String> penalised = viaFused.stream()
                .filter(n -> reached.contains(targets.get(n).op().name()))
                .sorted()
                .toList();
        if (penalised.isEmpty()) {
            return;
        }
        Output<?>[] dps = graph.addGradients(
                weightPenalty.asOutput(),
                penalised.stream().map(n -> targets.get(n).asOutput()).toArray(Output<?>[]::new));
        for (int k = 0; k < penalised.size(); k++) {
            String n = penalised.get(k);
            out.put(n, tf.math.add(floats(out.get(n)), floats(dps[k])).asOutput());
        }
    }

    private static void putIfTarget(
            Map<String, Output<?>> out, Map<Operand<?>, String> names, Operand<?> x, Operand<?> gradient) {
        if (x != null && names.containsKey(x)) {
            out.put(names.get(x), gradient.asOutput());
        }
    }

    private static boolean consumed(Output<?> o) {
        return ((org.tensorflow.GraphOperation) o.op()).numConsumers(o.index()) > 0;
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

    /** How many time chunks each fused LSTM of the graph is cut into (0: none is fused). */
    int fusedChunks() {
        return fusedChunks;
    }

    /** How many LSTMs of the graph run as TensorFlow's fused op. */
    int fusedLayers() {
        return fusedLayers;
    }

    /** What it is, for messages: {@code training graph for 12 time steps}. */
    String description() {
        return description;
    }

    Session session() {
        return session;
    }

    /** The C session behind {@link #session}, for native runs; read once. */
    org.tensorflow.internal.c_api.TF_Session nativeSession() {
        org.tensorflow.internal.c_api.TF_Session s = nativeSession;
        if (s == null) {
            s = TfNativeRun.handle(session);
            nativeSession = s;
        }
        return s;
    }

    BuiltGraph<Operand<?>> built() {
        return built;
    }

    /** Which piece this graph is (null for a whole-sequence graph). */
    Piece pieceKey() {
        return pieceKey;
    }

    /** What a piece's graph holds (null for a whole-sequence graph). */
    BuiltPiece<Operand<?>> piece() {
        return piece;
    }

    /** The gradient of the loss by trainable weight name, in Keras order (training graphs only). */
    Map<String, Output<?>> gradients() {
        return gradients;
    }

    /** A training piece's gradients of its differentiable inputs, by input name. */
    Map<String, Output<?>> inputGradients() {
        return inputGradients;
    }

    /** A training piece's seed placeholders, by the name of the output they seed. */
    Map<String, Operand<?>> seeds() {
        return seeds;
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
