package org.rnn4j.backend.tf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rnn4j.api.graph.Ops;
import org.rnn4j.api.graph.StepForm;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.LstmSpec;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.DType;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * The api's symbolic op set as TensorFlow graph ops (float32, int32 ids). Every float op here has
 * a gradient in TensorFlow's C++ registry (checked for TensorFlow 2.18, the native library of TF
 * Java 1.1.0, including GatherV2 and Slice), so {@code Graph.addGradients} differentiates any
 * model {@link org.rnn4j.api.graph.ModelGraph} builds. Ops without a C++ gradient (OnesLike,
 * ZerosLike as an input path) are not used, with one exception: the fused LSTM
 * ({@code BlockLSTMV2}, {@link #lstm}), whose gradient {@link TfGraph} wires by hand.
 *
 * <p>Not thread-safe: one instance builds one graph, on one thread.
 */
final class TfOps implements Ops<Operand<?>> {
    private final org.tensorflow.op.Ops tf;
    private final boolean fusedLstm;
    private final boolean inputDifferentiable;
    /** The form of every recurrent layer (autotuning's choice), or null for the measured rule ({@link #stepForm}). */
    private final StepForm forced;
    /** How many time chunks a fused LSTM stack is cut into. */
    private final int fusedChunks;
    /**
     * Whether {@code x . W} with a weight matrix {@code W} is built as {@code MatMul(x, W^T,
     * transpose_b)} over a transpose of {@code W} made once per graph. Same values; what changes
     * is the kernels the gradient runs: TensorFlow differentiates {@code x} as {@code dy . W^T}, a
     * product with {@code transpose_b} that Eigen runs at about 60% of its untransposed speed when
     * {@code W} is wide and short (the recurrent kernel of W2's LSTM: 58 against 101 GFLOP/s, one
     * thread, round five's AMD EPYC with AVX-512 and Eigen's kernels, {@code benchmarks/manual.sh
     * matmul-shapes}), and over the
     * transposed copy that gradient is a plain product. It costs a transpose per weight and, in the
     * forward pass, a {@code transpose_b} product instead (81 against 84 GFLOP/s there), so
     * autotuning decides ({@link FormChoice}).
     */
    private final boolean transposedWeights;
    /** The 2-D weights ({@link #weight}), which {@link #matmul} may read transposed. */
    private final java.util.Set<Operand<?>> matrices =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** Each transposed weight, made once. */
    private final java.util.IdentityHashMap<Operand<?>, Operand<TFloat32>> transposed =
            new java.util.IdentityHashMap<>();
    /** The rule's form for what it does not fuse. */
    private final StepForm unfused;
    /** Sequences made by {@link #stack}, so {@link #unstack} along the same axis hands back the very steps. */
    private final java.util.IdentityHashMap<Operand<?>, Stacked> stacks = new java.util.IdentityHashMap<>();

    private record Stacked(List<Operand<?>> steps, int axis) {}

    private final List<Fused> fused = new ArrayList<>();
    /** Fused LSTMs by the sequence output they handed out, so a stacked LSTM can read their {@code h} directly. */
    private final java.util.IdentityHashMap<Operand<?>, Fused> bySequence = new java.util.IdentityHashMap<>();

    private Operand<?> firstPlaceholder;

    /**
     * An LSTM layer built as TensorFlow's fused {@code BlockLSTMV2} op (see {@link #lstm}), whose
     * gradient {@link TfGraph} wires by hand: TensorFlow registers that op's gradient in Python only.
     * The sequence may be cut into consecutive time chunks, one op each, every chunk starting from
     * the state the one before ended in ({@link #lstm}).
     *
     * @param chunks          the ops over consecutive time chunks, first to last
     * @param h               every step's hidden state, time-major {@code [time, batch, units]} (the
     *                        only op's {@code h}, or the chunks' joined)
     * @param w               {@code [kernel; recurrentKernel]}, {@code [features + units, 4*units]}
     * @param peephole        zeros {@code [units]} (no peepholes)
     * @param b               the bias, or zeros {@code [4*units]}
     * @param features        the input width
     * @param kernel          the layer's kernel weight
     * @param recurrentKernel the layer's recurrent kernel weight
     * @param bias            the layer's bias weight, or null
     * @param below           the fused LSTM whose {@code h} is {@code x}, or null when {@code x} is the model input
     * @param output          what the layer handed to the rest of the model ({@code h} batch-major, or its last step)
     * @param initialH        the fed initial hidden state placeholder, or null (zeros)
     * @param initialC        the fed initial cell state placeholder, or null (zeros)
     * @param cs              an Identity of every step's cell states, when the last one is handed out
     *                        (the gradient is asked at this leaf: asked at the op itself, TensorFlow
     *                        would also sweep through a fused LSTM above, which it cannot differentiate)
     */
    record Fused(
            List<Chunk> chunks,
            Operand<TFloat32> h,
            Operand<TFloat32> w,
            Operand<TFloat32> peephole,
            Operand<TFloat32> b,
            int features,
            Operand<?> kernel,
            Operand<?> recurrentKernel,
            Operand<?> bias,
            Fused below,
            Operand<?> output,
            Operand<?> initialH,
            Operand<?> initialC,
            Operand<TFloat32> cs) {

        /** The chunks' step counts, first to last. */
        long[] steps() {
            return chunks.stream().mapToLong(Chunk::steps).toArray();
        }
    }

    /**
     * One fused op over a time chunk of a {@link Fused} layer.
     *
     * @param op     the forward op (its {@code h} is {@code [steps, batch, units]})
     * @param x      its time-major input {@code [steps, batch, features]}
     * @param hPrev  the hidden state it starts from {@code [batch, units]}: zeros, a piece's fed
     *               state, or the previous chunk's last
     * @param csPrev likewise the cell state
     * @param steps  its time steps
     */
    record Chunk(
            BlockLSTM<TFloat32> op,
            Operand<TFloat32> x,
            Operand<TFloat32> hPrev,
            Operand<TFloat32> csPrev,
            int steps) {}

    /** Ops without the fused LSTM (every recurrence unrolled by ModelGraph). */
    TfOps(Graph graph) {
        this(graph, false);
    }

    /** @param fusedLstm offer {@link #lstm} */
    TfOps(Graph graph, boolean fusedLstm) {
        this(graph, fusedLstm, false);
    }

    /**
     * @param fusedLstm           offer {@link #lstm}
     * @param inputDifferentiable whether the graph's first placeholder (its input) is differentiated
     *                            (a later stage of a long sequence reads the previous stage's output):
     *                            then an LSTM reading it is not fused, since the hand-wired gradient
     *                            stops at the fused op
     */
    TfOps(Graph graph, boolean fusedLstm, boolean inputDifferentiable) {
        this(graph, fusedLstm, inputDifferentiable, null);
    }

    /**
     * @param forced the form of every recurrent layer, or null for the measured rule: fused up to
     *               {@value #MAX_FUSED_UNITS} units (when {@code fusedLstm}), else hoisted
     */
    TfOps(Graph graph, boolean fusedLstm, boolean inputDifferentiable, StepForm forced) {
        this(graph, fusedLstm, inputDifferentiable, forced, false);
    }

    /**
     * @param oneStep the graph runs one time step (a {@link org.rnn4j.api.Stream} step): then the
     *                rule's unfused form is plain, since one step has no projection to hoist and the
     *                hoisted form only adds a transpose, two reshapes and an unstack around it
     */
    TfOps(Graph graph, boolean fusedLstm, boolean inputDifferentiable, StepForm forced, boolean oneStep) {
        this(graph, fusedLstm, inputDifferentiable, forced, oneStep, 1, false);
    }

    /**
     * @param fusedChunks       how many consecutive time chunks a stack of fused LSTMs is cut into, each
     *                          chunk one op per layer ({@link #pipelineChunks}); 1 runs each layer as one op
     * @param transposedWeights whether products with a weight matrix read it transposed ({@link #matmul})
     */
    TfOps(
            Graph graph,
            boolean fusedLstm,
            boolean inputDifferentiable,
            StepForm forced,
            boolean oneStep,
            int fusedChunks,
            boolean transposedWeights) {
        if (fusedChunks < 1) {
            throw new IllegalArgumentException("fusedChunks must be >= 1, got " + fusedChunks);
        }
        this.tf = org.tensorflow.op.Ops.create(graph);
        this.fusedLstm = fusedLstm;
        this.inputDifferentiable = inputDifferentiable;
        this.forced = forced;
        this.unfused = oneStep ? StepForm.PLAIN : StepForm.HOISTED;
        this.fusedChunks = fusedChunks;
        this.transposedWeights = transposedWeights;
    }

    /** The steps of one chunk of a pipelined fused stack ({@link #pipelineChunks}), about. */
    static final int PIPELINE_CHUNK_STEPS = 10;

    /** The most chunks a pipelined fused stack is cut into. */
    static final int MAX_PIPELINE_CHUNKS = 8;

    /**
     * How many time chunks a stack of fused LSTMs over {@code steps} steps is cut into so that its
     * layers run as a pipeline (a wavefront, as cuDNN runs stacked layers): each chunk is one fused op
     * per layer that starts from the state the chunk before ended in, so the upper layer's chunk
     * {@code k} runs beside the lower layer's chunk {@code k + 1} on another inter-op thread, and
     * the backward pass likewise runs from the top and the end down. One op per layer over the whole
     * sequence (1) runs the layers one after the other on one core.
     *
     * <p>The rule: about {@value #PIPELINE_CHUNK_STEPS} steps a chunk, at most
     * {@value #MAX_PIPELINE_CHUNKS} chunks, and 1 when the model has no stack of at least two fused
     * LSTMs in {@code form} (nothing to overlap) or the session runs one op at a time. Measured on W1b
     * (LSTM(50) x 2 over 50 steps, batch 32, 2 cores; {@code benchmarks/manual.sh forms W1b 25 7 fused
     * fused-5 fused-2 ...}, medians of 7 rounds): 5 chunks 5.88 ms a training step, 2 chunks 6.75, one
     * op a layer 7.91; TensorFlow's fused op written by hand 7.26.
     *
     * @param form      the form every layer is built in, or null for the rule ({@link #stepForm})
     * @param fusedLstm whether the fused op is offered at all
     */
    static int pipelineChunks(ModelSpec spec, int steps, StepForm form, boolean fusedLstm, int interOpThreads) {
        if (interOpThreads < 2 || steps < 2 || fusedStackDepth(spec, form, fusedLstm) < 2) {
            return 1;
        }
        return Math.min(MAX_PIPELINE_CHUNKS, Math.max(1, Math.round(steps / (float) PIPELINE_CHUNK_STEPS)));
    }

    /**
     * How many LSTMs, from the model input up, run as one stack of fused ops in {@code form}: the
     * layers {@link #lstm} takes (forward, standard activations, no dropout, each but the last
     * returning its sequence) and, without a forced form, at most {@value #MAX_FUSED_UNITS} units.
     */
    static int fusedStackDepth(ModelSpec spec, StepForm form, boolean fusedLstm) {
        if (!fusedLstm || (form != null && form != StepForm.FUSED)) {
            return 0;
        }
        int depth = 0;
        for (org.rnn4j.api.layers.LayerSpec l : spec.layers()) {
            if (!(l instanceof LstmSpec lstm)
                    || (form == null && lstm.units() > MAX_FUSED_UNITS)
                    || lstm.goBackwards()
                    || lstm.options().activation() != Activation.TANH
                    || lstm.options().recurrentActivation() != Activation.SIGMOID
                    || lstm.options().recurrentDropout() > 0
                    || lstm.options().dropout() > 0) {
                return depth;
            }
            depth++;
            if (!lstm.returnSequences()) {
                return depth;
            }
        }
        return depth;
    }

    /**
     * The form chosen for every layer ({@link TfProgram}'s autotuning), else the measured rule: an
     * LSTM of at most {@value #MAX_FUSED_UNITS} units is offered to the fused op (which takes it
     * where its gradient can be wired, {@link #lstm}), everything else hoists its input projection
     * (or, over one step, projects it plainly).
     */
    @Override
    public StepForm stepForm(String layer, RecurrentSpec spec) {
        if (forced != null) {
            return forced;
        }
        return fusedLstm && spec.units() <= MAX_FUSED_UNITS ? StepForm.FUSED : unfused;
    }

    /**
     * The widest LSTM run fused. Measured per shape (one LSTM -> Dense, Adam, one training step,
     * batch x steps x features): 50 units 2.8 vs 4.8 ms unrolled (32x50x1), 64 units 3.4 vs 4.9
     * (32x50x8) and 17.5 vs 17.0 (64x100x65), 96 units 5.6 vs 6.9 (32x50x1) and 28.1 vs 28.8
     * (64x100x65); 128 units 11.0 vs 10.4 (32x50x1) and 47 vs 40 (64x100x65); 256 units 140 vs 109.
     * TensorFlow's unrolled ops win once the per-step products are large enough to hide their
     * dispatch cost.
     */
    static final int MAX_FUSED_UNITS = 96;

    /**
     * Whether every recurrent layer of {@code spec} runs as the fused op in a piece of the model's
     * first stage: a stack of forward LSTMs of at most {@value #MAX_FUSED_UNITS} units with the
     * standard activations and no dropout, the first reading the model input (what
     * {@link #lstm} accepts). Such a model's steps are cheap and its pieces long (see
     * {@link TfBackend#recurrencePolicy()}).
     */
    static boolean fusesEveryRecurrence(ModelSpec spec) {
        boolean any = false;
        boolean sequence = true;
        for (org.rnn4j.api.layers.LayerSpec l : spec.layers()) {
            if (!(l instanceof LstmSpec lstm)
                    || !sequence
                    || lstm.units() > MAX_FUSED_UNITS
                    || lstm.goBackwards()
                    || lstm.options().activation() != Activation.TANH
                    || lstm.options().recurrentActivation() != Activation.SIGMOID
                    || lstm.options().recurrentDropout() > 0
                    || lstm.options().dropout() > 0) {
                if (l instanceof org.rnn4j.api.layers.RecurrentSpec
                        || l instanceof org.rnn4j.api.layers.BidirectionalSpec
                        || !any) {
                    return false;
                }
                // Layers after the stack (Dense, Dropout, ...) do not change how the recurrences run.
                sequence = false;
                continue;
            }
            any = true;
            sequence = lstm.returnSequences();
        }
        return any;
    }

    /** The LSTMs built as fused ops, in build order. */
    List<Fused> fused() {
        return fused;
    }

    @Override
    public Operand<?> placeholder(String name, DType dtype, int... shape) {
        Class<? extends TType> type = dtype == DType.INT32 ? TInt32.class : TFloat32.class;
        Operand<?> p = named(name).placeholder(type, Placeholder.shape(Shape.of(longs(shape))));
        if (firstPlaceholder == null) {
            firstPlaceholder = p;
        }
        return p;
    }

    /**
     * TensorFlow's fused {@code BlockLSTMV2} (gate blocks i, f, c, o as Keras's; no forget bias,
     * no clipping, no peepholes) for an LSTM that reads the model input directly, or the whole
     * sequence of another fused LSTM (a stack): then no weight but fused LSTMs' lies upstream of
     * it, and {@link TfGraph} can differentiate the rest of the graph automatically and finish
     * with {@code BlockLSTMGradV2} layer by layer. Other LSTMs (after an embedding, a dense layer
     * or dropout) are declined and unrolled by ModelGraph. Which LSTMs are offered at all is
     * {@link #stepForm}'s choice (by default none wider than {@value #MAX_FUSED_UNITS} units).
     */
    @Override
    public Optional<FusedLstm<Operand<?>>> lstm(LstmCall<Operand<?>> call) {
        Operand<?> x = call.x();
        int units = call.units();
        Fused below = bySequence.get(x);
        if ((x != firstPlaceholder && below == null) || (x == firstPlaceholder && inputDifferentiable)) {
            return Optional.empty();
        }
        long[] shape = x.shape().asArray();
        if (shape.length != 3 || shape[1] < 1 || shape[2] < 1) {
            return Optional.empty();
        }
        int steps = (int) shape[1];
        int features = (int) shape[2];
        // time-major: a stacked LSTM reads the lower one's h as it is, chunk by chunk
        int[] sizes = chunkSizes(steps, below != null ? below.chunks().size() : chunks(steps));
        List<Operand<TFloat32>> xs = new ArrayList<>();
        if (below != null) {
            below.chunks().forEach(c -> xs.add(c.op().h()));
        } else {
            Operand<TFloat32> xt = tf.linalg.transpose(f(x, "lstm"), tf.constant(new int[] {1, 0, 2}));
            if (sizes.length == 1) {
                xs.add(xt);
            } else {
                xs.addAll(tf.splitV(xt, tf.constant(sizes), tf.constant(0), (long) sizes.length)
                        .output());
            }
        }
        Operand<TFloat32> hPrev;
        Operand<TFloat32> csPrev;
        if (call.initialH() != null) {
            hPrev = f(call.initialH(), "lstm");
            csPrev = f(call.initialC(), "lstm");
        } else {
            // the batch size from the first chunk alone, so the first chunk waits for nothing later
            Operand<TInt32> batch = tf.gather(tf.shape(xs.get(0)), tf.constant(1), tf.constant(0));
            hPrev = tf.fill(tf.stack(List.of(batch, tf.constant(units))), tf.constant(0f));
            csPrev = hPrev;
        }
        Operand<TFloat32> w =
                tf.concat(List.of(f(call.kernel(), "lstm"), f(call.recurrentKernel(), "lstm")), tf.constant(0));
        Operand<TFloat32> peephole = tf.zeros(tf.constant(new int[] {units}), TFloat32.class);
        Operand<TFloat32> b = call.bias() == null
                ? tf.zeros(tf.constant(new int[] {4 * units}), TFloat32.class)
                : f(call.bias(), "lstm");
        List<Chunk> chunks = new ArrayList<>();
        for (int k = 0; k < sizes.length; k++) {
            Operand<TFloat32> h0 = hPrev;
            Operand<TFloat32> c0 = csPrev;
            if (k > 0) {
                Chunk before = chunks.get(k - 1);
                Operand<TInt32> last = tf.constant(before.steps() - 1);
                h0 = tf.gather(before.op().h(), last, tf.constant(0));
                c0 = tf.gather(before.op().cs(), last, tf.constant(0));
            }
            BlockLSTM<TFloat32> op = tf.nn.blockLSTM(
                    tf.constant((long) sizes[k]),
                    xs.get(k),
                    c0,
                    h0,
                    w,
                    peephole,
                    peephole,
                    peephole,
                    b,
                    BlockLSTM.cellClip(-1f),
                    BlockLSTM.usePeephole(false));
            chunks.add(new Chunk(op, xs.get(k), h0, c0, sizes[k]));
        }
        Operand<TFloat32> h =
                joined(chunks.stream().<Operand<TFloat32>>map(c -> c.op().h()).toList());
        boolean rs = call.returnSequences();
        // the gradient is asked at the joined h (TfGraph), so the output reads it too
        Operand<?> output = rs
                ? tf.linalg.transpose(h, tf.constant(new int[] {1, 0, 2}))
                : tf.gather(h, tf.constant(steps - 1), tf.constant(0));
        Operand<TFloat32> cs = call.returnStates()
                ? tf.identity(joined(
                        chunks.stream().<Operand<TFloat32>>map(c -> c.op().cs()).toList()))
                : null;
        Fused layer = new Fused(
                chunks,
                h,
                w,
                peephole,
                b,
                features,
                call.kernel(),
                call.recurrentKernel(),
                call.bias(),
                below,
                output,
                call.initialH(),
                call.initialC(),
                cs);
        fused.add(layer);
        if (rs) {
            bySequence.put(output, layer);
        }
        if (!call.returnStates()) {
            return Optional.of(new FusedLstm<>(output, null, null));
        }
        // The last h is read from the handed-out output, so its gradient reaches the op the way the
        // output's does (TfGraph asks for the output's gradient when a fused LSTM sits above this one).
        Operand<?> lastH = rs ? tf.gather(f(output, "lstm"), tf.constant(steps - 1), tf.constant(1)) : output;
        Operand<?> lastC = tf.gather(cs, tf.constant(steps - 1), tf.constant(0));
        return Optional.of(new FusedLstm<>(output, lastH, lastC));
    }

    /** How many time chunks a fused LSTM over {@code steps} steps is cut into (the first of a stack decides). */
    private int chunks(int steps) {
        return Math.min(steps, fusedChunks);
    }

    /** {@code steps} cut into {@code count} consecutive chunks as equal as possible, the longer ones first. */
    static int[] chunkSizes(int steps, int count) {
        int[] sizes = new int[count];
        for (int k = 0; k < count; k++) {
            sizes[k] = steps / count + (k < steps % count ? 1 : 0);
        }
        return sizes;
    }

    /** The chunks' time-major tensors as one (the only one as it is). */
    private Operand<TFloat32> joined(List<Operand<TFloat32>> parts) {
        return parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(0));
    }

    @Override
    public Operand<?> weight(String name, int... shape) {
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(
                        "weight '" + name + "' needs a fully known shape, got " + Arrays.toString(shape));
            }
        }
        Operand<?> w = named(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(longs(shape))));
        if (shape.length == 2) {
            matrices.add(w);
        }
        return w;
    }

    @Override
    public Operand<?> scalar(float value) {
        return tf.constant(value);
    }

    @Override
    public Operand<?> matmul(Operand<?> a, Operand<?> b) {
        if (transposedWeights && matrices.contains(b)) {
            Operand<TFloat32> bt = transposed.computeIfAbsent(
                    b, w -> tf.linalg.transpose(f(w, "matmul"), tf.constant(new int[] {1, 0})));
            return tf.linalg.matMul(f(a, "matmul"), bt, org.tensorflow.op.linalg.MatMul.transposeB(true));
        }
        return tf.linalg.matMul(f(a, "matmul"), f(b, "matmul"));
    }

    /**
     * {@code AddN} when both operands have the same static shape (at most the batch dimension
     * unknown), else a broadcasting {@code Add}. Same values (one float addition either way), but
     * TensorFlow's gradient of {@code Add} always builds its broadcasting machinery (two
     * {@code Shape}s, {@code BroadcastGradientArgs}, two {@code Sum}s and two {@code Reshape}s) and
     * {@code AddN}'s passes the gradient through: an unrolled step's {@code x_t + h.U} is one such
     * add per step. A bias (a vector as long as the other operand's last, static axis) is added
     * with {@code BiasAdd}, whose gradient is one {@code BiasAddGrad} where {@code Add}'s is the
     * seven ops above: a plain-form step's {@code x_t.W + b} is one such add per step and layer.
     */
    @Override
    public Operand<?> add(Operand<?> a, Operand<?> b) {
        Operand<TFloat32> fa = f(a, "add");
        Operand<TFloat32> fb = f(b, "add");
        if (sameStaticShape(fa, fb)) {
            return tf.math.addN(List.of(fa, fb));
        }
        if (isBiasOf(fb, fa)) {
            return tf.nn.biasAdd(fa, fb);
        }
        if (isBiasOf(fa, fb)) {
            return tf.nn.biasAdd(fb, fa);
        }
        return tf.math.add(fa, fb);
    }

    /** Whether {@code bias} is a vector as long as {@code x}'s last axis, which is static, and {@code x} has rank 2 or more. */
    private static boolean isBiasOf(Operand<?> bias, Operand<?> x) {
        Shape sb = bias.shape();
        Shape sx = x.shape();
        if (sb.isUnknown() || sx.isUnknown() || sb.numDimensions() != 1 || sx.numDimensions() < 2) {
            return false;
        }
        long n = sb.get(0);
        return n > 0 && n == sx.get(sx.numDimensions() - 1);
    }

    /**
     * Whether {@code a} and {@code b} have the same static shape with at most one dimension unknown,
     * the batch: the first for batch-major tensors, the last for a gate-major LSTM's {@code [units,
     * batch]} states ({@link StepForm#GATE_MAJOR}).
     */
    private static boolean sameStaticShape(Operand<?> a, Operand<?> b) {
        Shape sa = a.shape();
        Shape sb = b.shape();
        if (sa.isUnknown() || sb.isUnknown() || sa.numDimensions() != sb.numDimensions() || sa.numDimensions() == 0) {
            return false;
        }
        int unknown = 0;
        for (int i = 0; i < sa.numDimensions(); i++) {
            long da = sa.get(i);
            long db = sb.get(i);
            if (da != db) {
                return false;
            }
            if (da < 0 && (++unknown > 1 || (i > 0 && i < sa.numDimensions() - 1))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Operand<?> sub(Operand<?> a, Operand<?> b) {
        return tf.math.sub(f(a, "sub"), f(b, "sub"));
    }

    @Override
    public Operand<?> mul(Operand<?> a, Operand<?> b) {
        return tf.math.mul(f(a, "mul"), f(b, "mul"));
    }

    @Override
    public Operand<?> div(Operand<?> a, Operand<?> b) {
        // RealDiv is what Keras's `/` on floats builds.
        return tf.math.realDiv(f(a, "div"), f(b, "div"));
    }

    @Override
    public Operand<?> minimum(Operand<?> a, Operand<?> b) {
        return tf.math.minimum(f(a, "minimum"), f(b, "minimum"));
    }

    @Override
    public Operand<?> maximum(Operand<?> a, Operand<?> b) {
        return tf.math.maximum(f(a, "maximum"), f(b, "maximum"));
    }

    @Override
    public Operand<?> tanh(Operand<?> x) {
        return tf.math.tanh(f(x, "tanh"));
    }

    @Override
    public Operand<?> sigmoid(Operand<?> x) {
        return tf.math.sigmoid(f(x, "sigmoid"));
    }

    @Override
    public Operand<?> relu(Operand<?> x) {
        return tf.nn.relu(f(x, "relu"));
    }

    @Override
    public Operand<?> exp(Operand<?> x) {
        return tf.math.exp(f(x, "exp"));
    }

    @Override
    public Operand<?> log(Operand<?> x) {
        return tf.math.log(f(x, "log"));
    }

    @Override
    public Operand<?> abs(Operand<?> x) {
        return tf.math.abs(f(x, "abs"));
    }

    @Override
    public Operand<?> square(Operand<?> x) {
        return tf.math.square(f(x, "square"));
    }

    @Override
    public Operand<?> sqrt(Operand<?> x) {
        return tf.math.sqrt(f(x, "sqrt"));
    }

    @Override
    public Operand<?> softplus(Operand<?> x) {
        return tf.math.softplus(f(x, "softplus"));
    }

    @Override
    public Operand<?> softmax(Operand<?> x) {
        return tf.nn.softmax(f(x, "softmax"));
    }

    @Override
    public Operand<?> slice(Operand<?> x, int axis, int begin, int size) {
        int rank = rank(x, "slice");
        int a = axis(axis, rank, "slice");
        int[] begins = new int[rank];
        int[] sizes = new int[rank];
        Arrays.fill(sizes, -1);
        begins[a] = begin;
        sizes[a] = size;
        return tf.slice(f(x, "slice"), tf.constant(begins), tf.constant(sizes));
    }

    @Override
    public Operand<?> concat(List<Operand<?>> xs, int axis) {
        return tf.concat(floats(xs, "concat"), tf.constant(axis));
    }

    @Override
    public List<Operand<?>> split(Operand<?> x, int axis, int parts) {
        int a = axis(axis, rank(x, "split"), "split");
        List<Operand<?>> out = new ArrayList<>(parts);
        for (Output<TFloat32> o :
                tf.split(tf.constant(a), f(x, "split"), (long) parts).output()) {
            out.add(o);
        }
        return out;
    }

    @Override
    public List<Operand<?>> unstack(Operand<?> x, int axis, int count) {
        int a = axis(axis, rank(x, "unstack"), "unstack");
        Stacked stacked = stacks.get(x);
        if (stacked != null && stacked.axis() == a && stacked.steps().size() == count) {
            // A layer's per-step outputs read step by step by the next one: no Pack/Unpack between
            // them, so the upper layer's steps can start before the lower layer's last one.
            return new ArrayList<>(stacked.steps());
        }
        List<Operand<?>> out = new ArrayList<>(count);
        for (Output<TFloat32> o : tf.unstack(f(x, "unstack"), (long) count, Unstack.axis((long) a))
                .output()) {
            out.add(o);
        }
        return out;
    }

    @Override
    public Operand<?> stack(List<Operand<?>> xs, int axis) {
        Operand<?> s = tf.stack(floats(xs, "stack"), Stack.axis((long) axis));
        if (axis >= 0) {
            stacks.put(s, new Stacked(List.copyOf(xs), axis));
        }
        return s;
    }

    @Override
    public Operand<?> transpose(Operand<?> x, int... perm) {
        return tf.linalg.transpose(x, tf.constant(perm));
    }

    @Override
    public Operand<?> reshape(Operand<?> x, int... shape) {
        Stacked stacked = stacks.get(x);
        if (stacked != null
                && stacked.steps().size() == 1
                && stacked.axis() == 1
                && shape.length == 2
                && shape[0] == -1) {
            // One step's [batch, units] packed to [batch, 1, units] and flattened back (a one-step
            // piece's time-distributed layer): the step itself, without the Pack and Reshape, which a
            // stream step pays for on every character.
            Operand<?> step = stacked.steps().get(0);
            org.tensorflow.ndarray.Shape s = step.shape();
            if (s.numDimensions() == 2 && s.get(1) == shape[1]) {
                return step;
            }
        }
        return tf.reshape(x, tf.constant(shape));
    }

    @Override
    public Operand<?> gather(Operand<?> table, Operand<?> ids) {
        // GatherV2 has a C++ gradient (a dense UnsortedSegmentSum), so no one-hot matmul is needed.
        return tf.gather(f(table, "gather"), i(ids, "gather"), tf.constant(0));
    }

    @Override
    public Operand<?> oneHot(Operand<?> ids, int depth) {
        return tf.oneHot(i(ids, "oneHot"), tf.constant(depth), tf.constant(1f), tf.constant(0f));
    }

    @Override
    public Operand<?> notEqualZero(Operand<?> ids) {
        return tf.dtypes.cast(tf.math.notEqual(i(ids, "notEqualZero"), tf.constant(0)), TFloat32.class);
    }

    @Override
    public Operand<?> sum(Operand<?> x, int axis, boolean keepDims) {
        return tf.sum(f(x, "sum"), tf.constant(axis), Sum.keepDims(keepDims));
    }

    @Override
    public Operand<?> mean(Operand<?> x, int axis, boolean keepDims) {
        return tf.math.mean(f(x, "mean"), tf.constant(axis), Mean.keepDims(keepDims));
    }

    @Override
    public Operand<?> meanAll(Operand<?> x) {
        // Flattening first keeps the reduction axes static whatever the rank.
        return tf.math.mean(tf.reshape(f(x, "meanAll"), tf.constant(new int[] {-1})), tf.constant(0));
    }

    @Override
    public Operand<?> max(Operand<?> x, int axis, boolean keepDims) {
        return tf.max(f(x, "max"), tf.constant(axis), Max.keepDims(keepDims));
    }

    @Override
    public Operand<?> pad(Operand<?> x, int axis, int before, int after, float value) {
        int rank = rank(x, "pad");
        int a = axis(axis, rank, "pad");
        int[][] paddings = new int[rank][2];
        paddings[a][0] = before;
        paddings[a][1] = after;
        return tf.pad(f(x, "pad"), tf.constant(paddings), tf.constant(value));
    }

    @Override
    public Operand<?> notEqual(Operand<?> x, float value) {
        // A mask is a constant for the gradient; StopGradient ends TensorFlow's walk there.
        return tf.stopGradient(tf.dtypes.cast(tf.math.notEqual(f(x, "notEqual"), tf.constant(value)), TFloat32.class));
    }

    @Override
    public Operand<?> constant(float[] values, int... shape) {
        return tf.constant(Shape.of(longs(shape)), org.tensorflow.ndarray.buffer.DataBuffers.of(values));
    }

    /** TensorFlow op names may not hold '/' from a user's scope; '.' keeps the Keras name readable. */
    private org.tensorflow.op.Ops named(String name) {
        return tf.withName(name.replace('/', '.'));
    }

    private static long[] longs(int[] shape) {
        long[] s = new long[shape.length];
        for (int k = 0; k < shape.length; k++) {
            s[k] = shape[k];
        }
        return s;
    }

    private static int rank(Operand<?> x, String op) {
        Shape s = x.shape();
        if (s.isUnknown()) {
            throw new IllegalArgumentException(op + " needs a value of known rank, got " + x);
        }
        return s.numDimensions();
    }

    private static int axis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + " axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloat32> f(Operand<?> x, String op) {
        if (x.type() != TFloat32.class) {
            throw new IllegalArgumentException(
                    op + " takes float32 values, got " + x.type().getSimpleName() + " from " + x);
        }
        return (Operand<TFloat32>) x;
    }

    @SuppressWarnings("unchecked")
    private static Operand<TInt32> i(Operand<?> x, String op) {
        if (x.type() != TInt32.class) {
            throw new IllegalArgumentException(
                    op + " takes int32 ids, got " + x.type().getSimpleName() + " from " + x);
        }
        return (Operand<TInt32>) x;
    }

    private static List<Operand<TFloat32>> floats(List<Operand<?>> xs, String op) {
        List<Operand<TFloat32>> out = new ArrayList<>(xs.size());
        for (Operand<?> x : xs) {
            out.add(f(x, op));
        }
        return out;
    }
}
