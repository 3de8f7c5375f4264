package org.rnn4j.api.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.ActivationSpec;
import org.rnn4j.api.layers.BatchNormalizationSpec;
import org.rnn4j.api.layers.BidirectionalSpec;
import org.rnn4j.api.layers.Conv1DSpec;
import org.rnn4j.api.layers.DenseSpec;
import org.rnn4j.api.layers.DropoutSpec;
import org.rnn4j.api.layers.EmbeddingSpec;
import org.rnn4j.api.layers.FlattenSpec;
import org.rnn4j.api.layers.GlobalPooling1DSpec;
import org.rnn4j.api.layers.GruSpec;
import org.rnn4j.api.layers.LayerNormalizationSpec;
import org.rnn4j.api.layers.LayerVisitor;
import org.rnn4j.api.layers.LstmSpec;
import org.rnn4j.api.layers.MaskingSpec;
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.layers.Padding;
import org.rnn4j.api.layers.Pooling1DSpec;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.layers.RepeatVectorSpec;
import org.rnn4j.api.layers.SimpleRnnSpec;
import org.rnn4j.api.layers.TimeDistributedSpec;
import org.rnn4j.api.model.LayerInfo;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.DType;

/**
 * The Keras layer math, written once against {@link Ops} and shared by every backend. Recurrences
 * are unrolled over the (fixed per graph) number of time steps, each layer in the {@link StepForm}
 * the engine names ({@link Ops#stepForm}): the input projection {@code x.W} of all steps as one
 * matmul before the loop (hoisted), or each step's own (plain). A whole-sequence graph ({@link #build})
 * starts from zero states, so its first step skips its recurrent terms instead of multiplying by
 * zeros; a piece of a long sequence ({@link #buildPiece}) reads every state at its entry and hands
 * it on at its exit, with the same equations. A forward LSTM, GRU or SimpleRNN with the
 * standard activations, no mask and no recurrent dropout is offered to the engine's fused
 * {@link Ops#lstm}, {@link Ops#gru} or {@link Ops#simpleRnn} first (Bidirectional: its forward
 * direction); an engine that declines gets the unrolled graph.
 *
 * <p>Equations (ra = recurrent activation, act = activation):
 * <pre>
 * SimpleRNN: h = act(x.W + b + h'.U)
 * LSTM (i, f, c, o): z = x.W + h'.U + b; c = ra(z_f)*c' + ra(z_i)*act(z_c); h = ra(z_o)*act(c)
 * GRU (z, r, h), reset_after=false: hh = act(x.W_h + b_h + (r*h').U_h)
 * GRU reset_after=true:  hh = act(x.W_h + b0_h + r*(h'.U_h + b1_h));  h = z*h' + (1-z)*hh
 * </pre>
 * A masked step (padding id 0 under {@code mask_zero}) keeps the previous state and output.
 */
public final class ModelGraph<V> {

    /** Whether dropout is active and BatchNormalization uses batch statistics. */
    public enum Mode {
        INFERENCE,
        TRAINING
    }

    private final Ops<V> ops;
    private final Mode mode;
    private final Map<String, V> weights = new LinkedHashMap<>();
    private final Map<String, V> noise = new LinkedHashMap<>();
    private final List<NoiseSpec> noiseSpecs = new ArrayList<>();
    private final Map<String, V> batchStats = new LinkedHashMap<>();
    /** Regularizer penalties added to the loss (activity penalties collected while the layers are built). */
    private final List<V> penalties = new ArrayList<>();
    /** The weight regularizers' penalties, summed (null without any). */
    private V weightPenalties;

    private boolean withLoss;

    /** A piece's entry-state placeholders and exit states by state name; null while building a whole-sequence graph. */
    private Map<String, V> pieceEntries;

    private Map<String, V> pieceExits;

    private ModelGraph(Ops<V> ops, Mode mode) {
        this.ops = ops;
        this.mode = mode;
    }

    /**
     * Builds the model in an engine's graph.
     *
     * @param timeSteps the time length this graph is unrolled for (the model's own when it is fixed)
     * @param withLoss  also build the target input and the loss of {@code spec.compile()}
     */
    public static <V> BuiltGraph<V> build(ModelSpec spec, Ops<V> ops, Mode mode, int timeSteps, boolean withLoss) {
        return new ModelGraph<>(ops, mode).run(spec, timeSteps, withLoss, false);
    }

    /**
     * Builds the model with its loss weighted per sample, as Keras's {@code sample_weight}: the graph
     * reads a {@code sample_weight} input shaped as the loss's per-sample values ({@link #sampleWeightShape}).
     */
    public static <V> BuiltGraph<V> buildWeighted(ModelSpec spec, Ops<V> ops, Mode mode, int timeSteps) {
        return new ModelGraph<>(ops, mode).run(spec, timeSteps, true, true);
    }

    /**
     * The shape of a sample weight without the batch axis: the output's shape without its last
     * axis ({@code []} for one value per sample, {@code [time]} for sequence outputs).
     */
    public static List<Integer> sampleWeightShape(ModelSpec spec, int timeSteps) {
        List<Integer> out = resolve(spec.outputShape(), timeSteps);
        return out.subList(0, out.size() - 1);
    }

    /**
     * Builds one piece of {@code spec}'s {@link SequencePlan} in an engine's graph: a stage over a
     * chunk of {@code piece.steps()} time steps with every recurrent state fed in and out, or the
     * head (see {@link BuiltPiece} for the names).
     *
     * @throws IllegalArgumentException when the model has no plan in this mode, or no such stage
     */
    public static <V> BuiltPiece<V> buildPiece(ModelSpec spec, Ops<V> ops, Piece piece) {
        SequencePlan plan = SequencePlan.of(spec, piece.mode())
                .orElseThrow(() -> new IllegalArgumentException("model '" + spec.name() + "' cannot run in pieces: "
                        + SequencePlan.whyNot(spec, piece.mode()).orElse("")));
        if (!piece.isHead() && piece.stage() >= plan.stages().size()) {
            throw new IllegalArgumentException("model '" + spec.name() + "' has "
                    + plan.stages().size() + " stages, not a stage " + piece.stage());
        }
        if (piece.isHead() && !plan.hasHead()) {
            throw new IllegalArgumentException(
                    "model '" + spec.name() + "' outputs a sequence: its last stage computes the loss, it has no head");
        }
        ModelGraph<V> g = new ModelGraph<>(ops, piece.mode());
        g.pieceEntries = new LinkedHashMap<>();
        g.pieceExits = new LinkedHashMap<>();
        return piece.isHead() ? g.head(spec, plan, piece) : g.stage(spec, plan, piece);
    }

    private BuiltPiece<V> stage(ModelSpec spec, SequencePlan plan, Piece piece) {
        SequencePlan.Stage st = plan.stage(piece.stage());
        int steps = piece.steps();
        List<LayerInfo> infos = spec.layerInfos();
        Map<String, V> inputs = new LinkedHashMap<>();
        Map<String, V> outputs = new LinkedHashMap<>();
        // The input first: an engine may recognise the model input as its first placeholder.
        List<Integer> inShape;
        V input;
        V mask = null;
        if (st.index() == 0) {
            // Token ids [time], or [time, features]: the piece's own length, whatever the model declares.
            inShape = spec.inputDType() == DType.INT32 ? List.of(steps) : withTime(spec.inputShape(), steps);
            input = ops.placeholder("input", spec.inputDType(), withBatch(inShape));
        } else {
            inShape = List.of(steps, plan.stage(st.index() - 1).outputFeatures());
            input = ops.placeholder("input", DType.FLOAT32, withBatch(inShape));
            if (st.inputMasked()) {
                mask = ops.placeholder("mask", DType.FLOAT32, -1, steps);
                inputs.put("mask", mask);
            }
        }
        inputs.put("input", input);
        List<NoiseSpec> pieceNoise = declare(infos.subList(st.from(), st.to()), steps, inputs);
        Flow<V> flow = new Flow<>(input, inShape, mask);
        for (LayerInfo info : infos.subList(st.from(), st.to())) {
            flow = info.layer().accept(new LayerBuilder(info.name(), flow));
        }
        List<String> seeds = new ArrayList<>();
        if (st.output() == SequencePlan.Output.SEQUENCE) {
            outputs.put("output", flow.value);
            boolean last = st.index() == plan.stages().size() - 1;
            if (!last) {
                seeds.add("output");
                if (st.outputMasked()) {
                    outputs.put("mask", flow.mask);
                }
            } else if (piece.withLoss()) {
                V target = target(spec, flow, inputs);
                V scale = ops.placeholder("loss_scale", DType.FLOAT32);
                inputs.put("loss_scale", scale);
                Loss l = spec.compile().loss();
                outputs.put(
                        "loss",
                        ops.mul(
                                new LossBuilder<>(ops)
                                        .loss(
                                                l,
                                                spec.compile().lossOptions(),
                                                flow.value,
                                                target,
                                                flow.shape.get(flow.shape.size() - 1),
                                                pieceSampleWeight(piece, flow, inputs)),
                                scale));
                seeds.add("loss");
            }
        }
        outputs.putAll(pieceExits);
        seeds.addAll(pieceExits.keySet());
        inputs.putAll(pieceEntries);
        List<String> differentiable = new ArrayList<>(pieceEntries.keySet());
        if (st.index() > 0) {
            differentiable.add("input");
        }
        return new BuiltPiece<>(inputs, outputs, seeds, differentiable, weights, pieceNoise);
    }

    private BuiltPiece<V> head(ModelSpec spec, SequencePlan plan, Piece piece) {
        List<LayerInfo> infos = spec.layerInfos();
        Map<String, V> inputs = new LinkedHashMap<>();
        Map<String, V> outputs = new LinkedHashMap<>();
        LayerInfo last = infos.get(plan.headFrom() - 1);
        Flow<V> flow;
        if (last.layer() instanceof BidirectionalSpec b) {
            int u = b.layer().units();
            V fwd = ops.placeholder(last.name() + "/forward_" + b.innerName() + "/h", DType.FLOAT32, -1, u);
            V bwd = ops.placeholder(last.name() + "/backward_" + b.innerName() + "/h", DType.FLOAT32, -1, u);
            inputs.put(last.name() + "/forward_" + b.innerName() + "/h", fwd);
            inputs.put(last.name() + "/backward_" + b.innerName() + "/h", bwd);
            int units = b.mergeMode() == MergeMode.CONCAT ? 2 * u : u;
            flow = new Flow<>(merge(b.mergeMode(), fwd, bwd, 1), List.of(units), null);
        } else {
            int u = ((RecurrentSpec) last.layer()).units();
            V h = ops.placeholder(last.name() + "/h", DType.FLOAT32, -1, u);
            inputs.put(last.name() + "/h", h);
            // A value of its own (an engine may not hand out its own input as an output).
            flow = new Flow<>(ops.reshape(h, -1, u), List.of(u), null);
        }
        List<String> differentiable = new ArrayList<>(inputs.keySet());
        List<NoiseSpec> pieceNoise = declare(infos.subList(plan.headFrom(), infos.size()), 0, inputs);
        for (LayerInfo info : infos.subList(plan.headFrom(), infos.size())) {
            flow = info.layer().accept(new LayerBuilder(info.name(), flow));
        }
        outputs.put("output", flow.value);
        List<String> seeds = new ArrayList<>();
        if (piece.withLoss()) {
            V target = target(spec, flow, inputs);
            Loss l = spec.compile().loss();
            outputs.put(
                    "loss",
                    new LossBuilder<>(ops)
                            .loss(
                                    l,
                                    spec.compile().lossOptions(),
                                    flow.value,
                                    target,
                                    flow.shape.get(flow.shape.size() - 1),
                                    pieceSampleWeight(piece, flow, inputs)));
            seeds.add("loss");
        }
        outputs.putAll(batchStats);
        return new BuiltPiece<>(inputs, outputs, seeds, differentiable, weights, pieceNoise);
    }

    /** The weights and, in training, the dropout-mask placeholders of {@code layers}; returns the masks. */
    private List<NoiseSpec> declare(List<LayerInfo> layers, int steps, Map<String, V> inputs) {
        List<NoiseSpec> out = new ArrayList<>();
        for (LayerInfo info : layers) {
            for (WeightSpec w : info.weights()) {
                weights.put(w.name(), ops.weight(w.name(), w.shapeArray()));
            }
            if (mode == Mode.TRAINING) {
                for (NoiseSpec n : layerNoise(info, steps)) {
                    V p = ops.placeholder(n.name(), DType.FLOAT32, withBatch(n.shape()));
                    noise.put(n.name(), p);
                    inputs.put(n.name(), p);
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** A weighted piece's {@code sample_weight} input, shaped as its loss values (as the whole graph's); else null. */
    private V pieceSampleWeight(Piece piece, Flow<V> flow, Map<String, V> inputs) {
        if (!piece.weighted()) {
            return null;
        }
        V w = ops.placeholder("sample_weight", DType.FLOAT32, withBatch(flow.shape.subList(0, flow.shape.size() - 1)));
        inputs.put("sample_weight", w);
        return w;
    }

    private V target(ModelSpec spec, Flow<V> flow, Map<String, V> inputs) {
        Loss l = spec.compile().loss();
        int[] targetShape = withBatch(l.sparseTargets() ? flow.shape.subList(0, flow.shape.size() - 1) : flow.shape);
        V target = ops.placeholder("target", l.sparseTargets() ? DType.INT32 : DType.FLOAT32, targetShape);
        inputs.put("target", target);
        return target;
    }

    /** The dropout masks a training graph of {@code spec} reads, without building anything. */
    public static List<NoiseSpec> noiseSpecs(ModelSpec spec, int timeSteps) {
        List<NoiseSpec> out = new ArrayList<>();
        for (LayerInfo info : spec.layerInfos()) {
            out.addAll(layerNoise(info, timeSteps));
        }
        return out;
    }

    /** The dropout masks that layers {@code [from, to)} of {@code spec} read, with their time axes {@code timeSteps} long. */
    public static List<NoiseSpec> noiseSpecs(ModelSpec spec, int timeSteps, int from, int to) {
        List<NoiseSpec> out = new ArrayList<>();
        for (LayerInfo info : spec.layerInfos().subList(from, to)) {
            out.addAll(layerNoise(info, timeSteps));
        }
        return out;
    }

    /** The dropout masks one layer reads, its time axis (if any) {@code timeSteps} long. */
    private static List<NoiseSpec> layerNoise(LayerInfo info, int timeSteps) {
        List<NoiseSpec> out = new ArrayList<>();
        List<Integer> in = withTime(info.inputShape(), timeSteps);
        if (info.layer() instanceof DropoutSpec d) {
            out.add(new NoiseSpec(info.name() + "/dropout", d.rate(), in));
        } else if (info.layer() instanceof TimeDistributedSpec td && td.layer() instanceof DropoutSpec d) {
            // Dropout on each step's vector draws the same per-element masks as on the whole sequence.
            out.add(new NoiseSpec(info.name() + "/dropout", d.rate(), in));
        } else if (info.layer() instanceof RecurrentSpec r) {
            addRecurrentNoise(out, info.name(), r, in.get(in.size() - 1));
        } else if (info.layer() instanceof BidirectionalSpec b) {
            addRecurrentNoise(out, info.name() + "/forward_" + b.innerName(), b.layer(), in.get(in.size() - 1));
            addRecurrentNoise(out, info.name() + "/backward_" + b.innerName(), b.layer(), in.get(in.size() - 1));
        }
        return out;
    }

    private static void addRecurrentNoise(List<NoiseSpec> out, String prefix, RecurrentSpec r, int features) {
        if (r.options().dropout() > 0) {
            out.add(new NoiseSpec(prefix + "/dropout", r.options().dropout(), List.of(features)));
        }
        if (r.options().recurrentDropout() > 0) {
            out.add(new NoiseSpec(prefix + "/recurrent_dropout", r.options().recurrentDropout(), List.of(r.units())));
        }
    }

    /**
     * A layer's input shape with its time axis {@code timeSteps} long: a sequence
     * ({@code [time, features]}) is read over whatever length this graph or piece covers, even where
     * the model declares a fixed one (a piece of a chunk, a stream's single step). Other shapes
     * only have an unknown length resolved.
     */
    private static List<Integer> withTime(List<Integer> shape, int timeSteps) {
        if (shape.size() == 2) {
            List<Integer> out = new ArrayList<>(shape);
            out.set(0, timeSteps);
            return out;
        }
        return resolve(shape, timeSteps);
    }

    /** The only unknown dimension a layer shape can have is the time length. */
    private static List<Integer> resolve(List<Integer> shape, int timeSteps) {
        return shape.stream().map(d -> d < 0 ? timeSteps : d).toList();
    }

    private BuiltGraph<V> run(ModelSpec spec, int timeSteps, boolean withLoss, boolean weighted) {
        this.withLoss = withLoss;
        List<Integer> inShape = resolve(spec.inputShape(), timeSteps);
        int[] placeholderShape = withBatch(inShape);
        V input = ops.placeholder("input", spec.inputDType(), placeholderShape);
        for (WeightSpec w : spec.weights()) {
            weights.put(w.name(), ops.weight(w.name(), w.shapeArray()));
        }
        if (mode == Mode.TRAINING) {
            for (NoiseSpec n : noiseSpecs(spec, timeSteps)) {
                noiseSpecs.add(n);
                noise.put(n.name(), ops.placeholder(n.name(), DType.FLOAT32, withBatch(n.shape())));
            }
        }
        Flow<V> flow = new Flow<>(input, inShape, null);
        for (LayerInfo info : spec.layerInfos()) {
            flow = info.layer().accept(new LayerBuilder(info.name(), flow));
        }
        V target = null;
        V loss = null;
        V sampleWeight = null;
        if (withLoss) {
            Loss l = spec.compile().loss();
            int[] targetShape =
                    withBatch(l.sparseTargets() ? flow.shape.subList(0, flow.shape.size() - 1) : flow.shape);
            target = ops.placeholder("target", l.sparseTargets() ? DType.INT32 : DType.FLOAT32, targetShape);
            if (weighted) {
                sampleWeight = ops.placeholder(
                        "sample_weight", DType.FLOAT32, withBatch(flow.shape.subList(0, flow.shape.size() - 1)));
            }
            loss = new LossBuilder<>(ops)
                    .loss(
                            l,
                            spec.compile().lossOptions(),
                            flow.value,
                            target,
                            flow.shape.get(flow.shape.size() - 1),
                            sampleWeight);
            for (WeightSpec w : spec.weights()) {
                if (w.regularizer() != null) {
                    V p = weightPenalty(w.regularizer(), weights.get(w.name()), (int) w.size());
                    weightPenalties = weightPenalties == null ? p : ops.add(weightPenalties, p);
                }
            }
            // Keras adds every regularization loss to the loss it reports and differentiates.
            for (V p : penalties) {
                loss = ops.add(loss, p);
            }
            if (weightPenalties != null) {
                loss = ops.add(loss, weightPenalties);
            }
        }
        return new BuiltGraph<>(
                input,
                target,
                flow.value,
                loss,
                Collections.unmodifiableMap(weights),
                Collections.unmodifiableMap(noise),
                List.copyOf(noiseSpecs),
                Collections.unmodifiableMap(batchStats),
                sampleWeight,
                weightPenalties);
    }

    /** Keras's L1L2 on a weight: {@code l1 * sum(|w|) + l2 * sum(w^2)}. */
    private V weightPenalty(org.rnn4j.api.layers.Regularizer r, V w, int size) {
        V flat = ops.reshape(w, size);
        V penalty = null;
        if (r.l1() != 0) {
            penalty = ops.mul(ops.scalar((float) r.l1()), ops.sum(ops.abs(flat), 0, false));
        }
        if (r.l2() != 0) {
            V l2 = ops.mul(ops.scalar((float) r.l2()), ops.sum(ops.square(flat), 0, false));
            penalty = penalty == null ? l2 : ops.add(penalty, l2);
        }
        return penalty;
    }

    /**
     * Keras 3's activity regularization of a layer output {@code y} of {@code shape} (without the
     * batch): the penalty of {@code y} divided by the batch size, i.e. the mean over every element
     * times the elements per sample.
     */
    private void activityPenalty(org.rnn4j.api.layers.Regularizer r, V y, List<Integer> shape) {
        if (r == null || !withLoss) {
            return;
        }
        int perSample = 1;
        for (int d : shape) {
            perSample *= d;
        }
        V penalty = null;
        if (r.l1() != 0) {
            penalty = ops.mul(ops.meanAll(ops.abs(y)), ops.scalar((float) (r.l1() * perSample)));
        }
        if (r.l2() != 0) {
            V l2 = ops.mul(ops.meanAll(ops.square(y)), ops.scalar((float) (r.l2() * perSample)));
            penalty = penalty == null ? l2 : ops.add(penalty, l2);
        }
        penalties.add(penalty);
    }

    private static int[] withBatch(List<Integer> shape) {
        int[] s = new int[shape.size() + 1];
        s[0] = -1;
        for (int i = 0; i < shape.size(); i++) {
            s[i + 1] = shape.get(i);
        }
        return s;
    }

    /** A value flowing between layers: its shape without batch, and the padding mask {@code [batch, time]} if any. */
    private record Flow<V>(V value, List<Integer> shape, V mask) {}

    V activation(Activation a, V x) {
        return switch (a) {
            case LINEAR -> x;
            case TANH -> ops.tanh(x);
            case SIGMOID -> ops.sigmoid(x);
            // Keras 3: clip(x/6 + 1/2, 0, 1); Keras 2 and TensorFlow.js: clip(0.2x + 0.5, 0, 1).
            case HARD_SIGMOID -> clip01(ops.add(ops.div(x, ops.scalar(6f)), ops.scalar(0.5f)));
            case HARD_SIGMOID_KERAS2 -> clip01(ops.add(ops.mul(x, ops.scalar(0.2f)), ops.scalar(0.5f)));
            case RELU -> ops.relu(x);
            case SOFTMAX -> ops.softmax(x);
            case SOFTPLUS -> ops.softplus(x);
            case SOFTSIGN -> ops.div(x, ops.add(ops.abs(x), ops.scalar(1f)));
            case EXPONENTIAL -> ops.exp(x);
        };
    }

    private V clip01(V x) {
        return ops.minimum(ops.maximum(x, ops.scalar(0f)), ops.scalar(1f));
    }

    /** Dense on the last axis of a 2-D or 3-D value. */
    private V dense(String prefix, DenseSpec d, V x, List<Integer> shape) {
        int features = shape.get(shape.size() - 1);
        V flat = shape.size() == 1 ? x : ops.reshape(x, -1, features);
        V y = ops.matmul(flat, weights.get(prefix + "/kernel"));
        if (d.useBias()) {
            y = ops.add(y, weights.get(prefix + "/bias"));
        }
        y = activation(d.activation(), y);
        return shape.size() == 1 ? y : ops.reshape(y, -1, shape.get(0), d.units());
    }

    private V blend(V mNew, V mOld, V fresh, V previous) {
        // m*new + (1-m)*old is exact for m in {0, 1}: 1*new + 0*old == new, bit for bit.
        return previous == null ? ops.mul(mNew, fresh) : ops.add(ops.mul(mNew, fresh), ops.mul(mOld, previous));
    }

    /**
     * The engine's fused layer ({@link Ops#lstm}, {@link Ops#gru}, {@link Ops#simpleRnn}) for a layer
     * it can stand in for: {@code tanh} activation (and {@code sigmoid} recurrent activation for the
     * gated layers), run forwards, without a mask or recurrent dropout (input dropout is applied to
     * {@code x} first, as in {@link #recurrent}). Empty when the layer does not qualify or the engine
     * declines.
     *
     * @param h0 the initial state (with {@code c0} for an LSTM), or null for zeros
     */
    private Optional<Ops.FusedLstm<V>> fusedLayer(
            String prefix,
            RecurrentSpec r,
            V x,
            List<Integer> shape,
            V mask,
            boolean backwards,
            boolean returnSequences,
            V h0,
            V c0) {
        boolean gated = r instanceof LstmSpec || r instanceof GruSpec;
        if (backwards
                || mask != null
                || r.options().activation() != Activation.TANH
                || (gated && r.options().recurrentActivation() != Activation.SIGMOID)
                || noise.get(prefix + "/recurrent_dropout") != null) {
            return Optional.empty();
        }
        V in = inputDropout(prefix, x, shape.get(1));
        V kernel = weights.get(prefix + "/kernel");
        V recurrent = weights.get(prefix + "/recurrent_kernel");
        V bias = weights.get(prefix + "/bias");
        boolean states = pieceExits != null;
        if (r instanceof LstmSpec) {
            return ops.lstm(
                    new Ops.LstmCall<>(in, kernel, recurrent, bias, r.units(), returnSequences, h0, c0, states));
        }
        Ops.RnnCall<V> call = new Ops.RnnCall<>(in, kernel, recurrent, bias, r.units(), returnSequences, h0, states);
        Optional<Ops.FusedRnn<V>> fused = r instanceof GruSpec g ? ops.gru(call, g.resetAfter()) : ops.simpleRnn(call);
        return fused.map(f -> new Ops.FusedLstm<>(f.output(), f.lastH(), null));
    }

    /**
     * A recurrence's per-step outputs in processing order and its last states ({@code c} null but
     * for an LSTM); {@code sequence}, when not null, is the outputs already stacked along axis 1.
     */
    private record Recurrence<V>(List<V> outputs, V h, V c, V sequence) {
        Recurrence(List<V> outputs, V h, V c) {
            this(outputs, h, c, null);
        }

        /** The outputs as {@code [batch, time, units]}, in processing order. */
        V stacked(Ops<V> ops) {
            return sequence != null ? sequence : ops.stack(outputs, 1);
        }
    }

    /**
     * Runs one recurrent layer from the state {@code h0} ({@code c0}), or from zeros when null (then
     * the first step skips its recurrent terms).
     *
     * @param form {@link StepForm#PLAIN}: each step projects its own input; {@link
     *             StepForm#GATE_MAJOR} for an LSTM: {@link #gateMajorLstm}; else the projection of
     *             every step is one matmul before the loop ({@link StepForm#HOISTED})
     */
    private Recurrence<V> recurrent(
            String prefix,
            RecurrentSpec r,
            V x,
            List<Integer> shape,
            V mask,
            boolean backwards,
            V h0,
            V c0,
            StepForm form) {
        if (form == StepForm.GATE_MAJOR && r instanceof LstmSpec) {
            return gateMajorLstm(prefix, r, x, shape, mask, backwards, h0, c0);
        }
        boolean plain = form == StepForm.PLAIN;
        int steps = shape.get(0);
        int features = shape.get(1);
        int u = r.units();
        int k = r.gateCount();
        var opts = r.options();
        V rdp = noise.get(prefix + "/recurrent_dropout");
        x = inputDropout(prefix, x, features);
        V kernel = weights.get(prefix + "/kernel");
        V recurrent = weights.get(prefix + "/recurrent_kernel");
        V bias = weights.get(prefix + "/bias");
        boolean resetAfter = r instanceof GruSpec g && g.resetAfter();
        V inputBias = bias;
        V recurrentBias = null;
        if (bias != null && resetAfter) {
            inputBias = ops.reshape(ops.slice(bias, 0, 0, 1), k * u);
            recurrentBias = ops.reshape(ops.slice(bias, 0, 1, 1), k * u);
        }
        List<V> inputs;
        if (plain) {
            // Each step's x_t.W + b, in the hoisted form's order of additions (the same math).
            inputs = new ArrayList<>(steps);
            for (V xt : ops.unstack(x, 1, steps)) {
                V p = ops.matmul(xt, kernel);
                inputs.add(inputBias == null ? p : ops.add(p, inputBias));
            }
        } else {
            // One matmul projects every step's input, time-major so that each step's slice is one
            // contiguous block; the bias rides along except for GRU reset_after's recurrent row.
            V proj = ops.matmul(ops.reshape(ops.transpose(x, 1, 0, 2), -1, features), kernel);
            if (inputBias != null) {
                proj = ops.add(proj, inputBias);
            }
            proj = ops.reshape(proj, steps, -1, k * u);
            // Unstacked once: slicing step by step would give every step a full-size padded gradient.
            inputs = ops.unstack(proj, 0, steps);
        }
        List<V> masks = mask == null ? null : ops.unstack(mask, 1, steps);
        List<V> recurrentParts = r instanceof GruSpec && !resetAfter ? ops.split(recurrent, 1, 3) : null;
        List<V> recurrentBiasParts = recurrentBias == null ? null : ops.split(recurrentBias, 0, 3);

        V h = h0;
        V c = c0;
        List<V> outputs = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            int t = backwards ? steps - 1 - i : i;
            V xt = inputs.get(t);
            V hRec = h == null || rdp == null ? h : ops.mul(h, rdp);
            V hNew;
            V cNew = null;
            if (r instanceof SimpleRnnSpec) {
                V z = hRec == null ? xt : ops.add(xt, ops.matmul(hRec, recurrent));
                hNew = activation(opts.activation(), z);
            } else if (r instanceof LstmSpec) {
                V z = hRec == null ? xt : ops.add(xt, ops.matmul(hRec, recurrent));
                LstmCell<V> cell = lstmCell(opts, z, c, 1);
                cNew = cell.c();
                hNew = cell.h();
            } else {
                hNew = gruStep(
                        opts, xt, h, hRec, recurrent, recurrentBias, recurrentParts, recurrentBiasParts, resetAfter);
            }
            if (masks != null) {
                V m = ops.reshape(masks.get(t), -1, 1);
                V notM = ops.sub(ops.scalar(1f), m);
                hNew = blend(m, notM, hNew, h);
                if (cNew != null) {
                    cNew = blend(m, notM, cNew, c);
                }
            }
            h = hNew;
            c = cNew;
            outputs.add(h);
        }
        return new Recurrence<>(outputs, h, c);
    }

    /** {@code x [batch, time, features]} times the layer's input dropout mask, if it has one. */
    private V inputDropout(String prefix, V x, int features) {
        V dp = noise.get(prefix + "/dropout");
        return dp == null ? x : ops.mul(x, ops.reshape(dp, -1, 1, features));
    }

    /** An LSTM step's new state. */
    private record LstmCell<V>(V h, V c) {}

    /**
     * Keras's LSTM cell on the pre-activations {@code z}, whose gates (i, f, c, o) lie along {@code
     * gateAxis} (1 batch-major, 0 gate-major); {@code c} null is the zero initial state.
     */
    private LstmCell<V> lstmCell(org.rnn4j.api.layers.RecurrentOptions opts, V z, V c, int gateAxis) {
        List<V> gates = ops.split(z, gateAxis, 4); // i, f, c, o
        V gi = activation(opts.recurrentActivation(), gates.get(0));
        V gf = activation(opts.recurrentActivation(), gates.get(1));
        V gc = activation(opts.activation(), gates.get(2));
        V go = activation(opts.recurrentActivation(), gates.get(3));
        V ig = ops.mul(gi, gc);
        V cNew = c == null ? ig : ops.add(ops.mul(gf, c), ig);
        return new LstmCell<>(ops.mul(go, activation(opts.activation(), cNew)), cNew);
    }

    /**
     * An LSTM with its gates along the first axis ({@link StepForm#GATE_MAJOR}): the states are kept
     * as {@code h^T, c^T} ({@code [units, batch]}), the input projection of every step is one
     * product {@code W^T . x^T} before the loop, and each step computes {@code z^T = (W^T x_t^T + b) +
     * U^T h^T} and splits its gates along axis 0. The equations and the order of the additions are
     * {@link #recurrent}'s; only the layout differs, so the products read their operands in other
     * orientations (the recurrent kernel's gradient becomes {@code dz^T . h}, whose first operand no
     * longer strides over the gates). Entry states, recurrent dropout and the mask are transposed or
     * reshaped once; the per-step outputs are stacked and transposed back to {@code [batch, time,
     * units]} once.
     */
    private Recurrence<V> gateMajorLstm(
            String prefix, RecurrentSpec r, V x, List<Integer> shape, V mask, boolean backwards, V h0, V c0) {
        int steps = shape.get(0);
        int features = shape.get(1);
        int u = r.units();
        var opts = r.options();
        V rdp = noise.get(prefix + "/recurrent_dropout");
        x = inputDropout(prefix, x, features);
        V kernel = weights.get(prefix + "/kernel");
        V recurrent = weights.get(prefix + "/recurrent_kernel");
        V bias = weights.get(prefix + "/bias");
        // [features, time * batch], time-major, so that each step's columns are one block of [4u, time, batch].
        V xt = ops.reshape(ops.transpose(x, 2, 1, 0), features, -1);
        V proj = ops.matmul(ops.transpose(kernel, 1, 0), xt);
        if (bias != null) {
            proj = ops.add(proj, ops.reshape(bias, 4 * u, 1));
        }
        List<V> inputs = ops.unstack(ops.reshape(proj, 4 * u, steps, -1), 1, steps);
        V recurrentT = ops.transpose(recurrent, 1, 0);
        V rdpT = rdp == null ? null : ops.transpose(rdp, 1, 0);
        List<V> masks = mask == null ? null : ops.unstack(mask, 1, steps);
        V h = h0 == null ? null : ops.transpose(h0, 1, 0);
        V c = c0 == null ? null : ops.transpose(c0, 1, 0);
        List<V> outputs = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            int t = backwards ? steps - 1 - i : i;
            V hRec = h == null || rdpT == null ? h : ops.mul(h, rdpT);
            V z = hRec == null ? inputs.get(t) : ops.add(inputs.get(t), ops.matmul(recurrentT, hRec));
            LstmCell<V> cell = lstmCell(opts, z, c, 0);
            V cNew = cell.c();
            V hNew = cell.h();
            if (masks != null) {
                V m = ops.reshape(masks.get(t), 1, -1);
                V notM = ops.sub(ops.scalar(1f), m);
                hNew = blend(m, notM, hNew, h);
                cNew = blend(m, notM, cNew, c);
            }
            h = hNew;
            c = cNew;
            outputs.add(h);
        }
        // [time, units, batch] -> [batch, time, units]
        V sequence = ops.transpose(ops.stack(outputs, 0), 2, 0, 1);
        return new Recurrence<>(
                ops.unstack(sequence, 1, steps), ops.transpose(h, 1, 0), ops.transpose(c, 1, 0), sequence);
    }

    /** One GRU step, gate blocks z, r, h. {@code h} null is the zero initial state. */
    private V gruStep(
            org.rnn4j.api.layers.RecurrentOptions opts,
            V xt,
            V h,
            V hRec,
            V recurrent,
            V recurrentBias,
            List<V> recurrentParts,
            List<V> recurrentBiasParts,
            boolean resetAfter) {
        List<V> x = ops.split(xt, 1, 3);
        V xz = x.get(0);
        V xr = x.get(1);
        V xh = x.get(2);
        V z;
        V r;
        V hh;
        if (resetAfter && (hRec != null || recurrentBias != null)) {
            // mh = h'.U + b1 (just b1 on the first step, where h' is zero)
            List<V> mh;
            if (hRec == null) {
                mh = recurrentBiasParts;
            } else {
                V all = ops.matmul(hRec, recurrent);
                mh = ops.split(recurrentBias == null ? all : ops.add(all, recurrentBias), 1, 3);
            }
            z = activation(opts.recurrentActivation(), ops.add(xz, mh.get(0)));
            r = activation(opts.recurrentActivation(), ops.add(xr, mh.get(1)));
            hh = activation(opts.activation(), ops.add(xh, ops.mul(r, mh.get(2))));
        } else if (hRec == null) {
            z = activation(opts.recurrentActivation(), xz);
            r = activation(opts.recurrentActivation(), xr);
            hh = activation(opts.activation(), xh);
        } else if (resetAfter) {
            // reset_after without any bias: mh = h'.U
            List<V> mh = ops.split(ops.matmul(hRec, recurrent), 1, 3);
            z = activation(opts.recurrentActivation(), ops.add(xz, mh.get(0)));
            r = activation(opts.recurrentActivation(), ops.add(xr, mh.get(1)));
            hh = activation(opts.activation(), ops.add(xh, ops.mul(r, mh.get(2))));
        } else {
            z = activation(opts.recurrentActivation(), ops.add(xz, ops.matmul(hRec, recurrentParts.get(0))));
            r = activation(opts.recurrentActivation(), ops.add(xr, ops.matmul(hRec, recurrentParts.get(1))));
            hh = activation(opts.activation(), ops.add(xh, ops.matmul(ops.mul(r, hRec), recurrentParts.get(2))));
        }
        V keep = ops.mul(ops.sub(ops.scalar(1f), z), hh);
        return h == null ? keep : ops.add(ops.mul(z, h), keep);
    }

    /** Bidirectional's merge of the two directions along {@code axis}. */
    private V merge(MergeMode mode, V a, V b, int axis) {
        return switch (mode) {
            case CONCAT -> ops.concat(List.of(a, b), axis);
            case SUM -> ops.add(a, b);
            case MUL -> ops.mul(a, b);
            case AVE -> ops.mul(ops.add(a, b), ops.scalar(0.5f));
        };
    }

    /** A piece's entry state {@code name} (a placeholder {@code [batch, units]}); null in a whole-sequence graph (zeros). */
    private V entry(String name, int units) {
        if (pieceEntries == null) {
            return null;
        }
        return pieceEntries.computeIfAbsent(name, n -> ops.placeholder(n, DType.FLOAT32, -1, units));
    }

    /** Records a direction's last states as a piece's exit states (nothing in a whole-sequence graph). */
    private void exit(String prefix, V h, V c) {
        if (pieceExits == null) {
            return;
        }
        pieceExits.put(prefix + "/h", h);
        if (c != null) {
            pieceExits.put(prefix + "/c", c);
        }
    }

    private final class LayerBuilder implements LayerVisitor<Flow<V>> {
        private final String name;
        private final Flow<V> in;

        LayerBuilder(String name, Flow<V> in) {
            this.name = name;
            this.in = in;
        }

        private Flow<V> recurrentLayer(RecurrentSpec r) {
            Flow<V> out = recurrentOutput(r);
            activityPenalty(r.options().rules().activityRegularizer(), out.value, out.shape);
            return out;
        }

        private Flow<V> recurrentOutput(RecurrentSpec r) {
            V h0 = entry(name + "/h", r.units());
            V c0 = r instanceof LstmSpec ? entry(name + "/c", r.units()) : null;
            StepForm form = ops.stepForm(name, r);
            Optional<Ops.FusedLstm<V>> fused = form == StepForm.FUSED
                    ? fusedLayer(name, r, in.value, in.shape, in.mask, r.goBackwards(), r.returnSequences(), h0, c0)
                    : Optional.empty();
            if (fused.isPresent()) {
                Ops.FusedLstm<V> f = fused.get();
                exit(name, f.lastH(), f.lastC());
                return r.returnSequences()
                        ? new Flow<>(f.output(), List.of(in.shape.get(0), r.units()), in.mask)
                        : new Flow<>(f.output(), List.of(r.units()), null);
            }
            Recurrence<V> rec = recurrent(name, r, in.value, in.shape, in.mask, r.goBackwards(), h0, c0, form);
            exit(name, rec.h(), rec.c());
            if (r.returnSequences()) {
                return new Flow<>(rec.stacked(ops), List.of(in.shape.get(0), r.units()), in.mask);
            }
            return new Flow<>(rec.h(), List.of(r.units()), null);
        }

        @Override
        public Flow<V> visit(SimpleRnnSpec layer) {
            return recurrentLayer(layer);
        }

        @Override
        public Flow<V> visit(LstmSpec layer) {
            return recurrentLayer(layer);
        }

        @Override
        public Flow<V> visit(GruSpec layer) {
            return recurrentLayer(layer);
        }

        @Override
        public Flow<V> visit(EmbeddingSpec layer) {
            V y = ops.gather(weights.get(name + "/embeddings"), in.value);
            V mask = layer.maskZero() ? ops.notEqualZero(in.value) : null;
            List<Integer> shape = List.of(in.shape.get(0), layer.outputDim());
            activityPenalty(layer.rules().activityRegularizer(), y, shape);
            return new Flow<>(y, shape, mask);
        }

        @Override
        public Flow<V> visit(DenseSpec layer) {
            List<Integer> shape = new ArrayList<>(in.shape);
            shape.set(shape.size() - 1, layer.units());
            V y = dense(name, layer, in.value, in.shape);
            activityPenalty(layer.rules().activityRegularizer(), y, shape);
            return new Flow<>(y, shape, in.mask);
        }

        @Override
        public Flow<V> visit(DropoutSpec layer) {
            V mask = noise.get(name + "/dropout");
            return mask == null ? in : new Flow<>(ops.mul(in.value, mask), in.shape, in.mask);
        }

        @Override
        public Flow<V> visit(BatchNormalizationSpec layer) {
            int f = in.shape.get(in.shape.size() - 1);
            V mean;
            V variance;
            if (mode == Mode.TRAINING) {
                V flat = in.shape.size() == 1 ? in.value : ops.reshape(in.value, -1, f);
                mean = ops.mean(flat, 0, false);
                variance = ops.mean(ops.square(ops.sub(flat, mean)), 0, false);
                batchStats.put(name + "/moving_mean", mean);
                batchStats.put(name + "/moving_variance", variance);
            } else {
                mean = weights.get(name + "/moving_mean");
                variance = weights.get(name + "/moving_variance");
            }
            // Keras 3's op order: inv = rsqrt(var + eps) * gamma; y = x*inv + (beta - mean*inv).
            V inv = ops.div(ops.scalar(1f), ops.sqrt(ops.add(variance, ops.scalar((float) layer.epsilon()))));
            if (layer.scale()) {
                inv = ops.mul(inv, weights.get(name + "/gamma"));
            }
            V shift = ops.sub(ops.scalar(0f), ops.mul(mean, inv));
            if (layer.center()) {
                shift = ops.sub(weights.get(name + "/beta"), ops.mul(mean, inv));
            }
            return new Flow<>(ops.add(ops.mul(in.value, inv), shift), in.shape, in.mask);
        }

        @Override
        public Flow<V> visit(BidirectionalSpec layer) {
            RecurrentSpec inner = layer.layer();
            String inName = layer.innerName();
            String fwdName = name + "/forward_" + inName;
            String bwdName = name + "/backward_" + inName;
            boolean lstm = inner instanceof LstmSpec;
            V fh0 = entry(fwdName + "/h", inner.units());
            V fc0 = lstm ? entry(fwdName + "/c", inner.units()) : null;
            V bh0 = entry(bwdName + "/h", inner.units());
            V bc0 = lstm ? entry(bwdName + "/c", inner.units()) : null;
            // The forward direction may run fused (the sequence, or its last output); the backward one is unrolled.
            StepForm fwdForm = ops.stepForm(fwdName, inner);
            StepForm bwdForm = ops.stepForm(bwdName, inner);
            Optional<Ops.FusedLstm<V>> fused = fwdForm == StepForm.FUSED
                    ? fusedLayer(fwdName, inner, in.value, in.shape, in.mask, false, inner.returnSequences(), fh0, fc0)
                    : Optional.empty();
            Recurrence<V> fwd = fused.isPresent()
                    ? null
                    : recurrent(fwdName, inner, in.value, in.shape, in.mask, false, fh0, fc0, fwdForm);
            Recurrence<V> bwd = recurrent(bwdName, inner, in.value, in.shape, in.mask, true, bh0, bc0, bwdForm);
            if (fused.isPresent()) {
                exit(fwdName, fused.get().lastH(), fused.get().lastC());
            } else {
                exit(fwdName, fwd.h(), fwd.c());
            }
            exit(bwdName, bwd.h(), bwd.c());
            int units = layer.mergeMode() == MergeMode.CONCAT ? 2 * inner.units() : inner.units();
            if (inner.returnSequences()) {
                List<V> bwdInTime = new ArrayList<>(bwd.outputs());
                Collections.reverse(bwdInTime);
                V fwdSeq = fused.isPresent() ? fused.get().output() : fwd.stacked(ops);
                V merged = merge(layer.mergeMode(), fwdSeq, ops.stack(bwdInTime, 1), 2);
                return new Flow<>(merged, List.of(in.shape.get(0), units), in.mask);
            }
            if (pieceExits != null) {
                // A piece ends at a final output: the head merges the two directions' last outputs.
                return new Flow<>(null, List.of(units), null);
            }
            V fwdLast = fused.isPresent() ? fused.get().output() : fwd.h();
            return new Flow<>(merge(layer.mergeMode(), fwdLast, bwd.h(), 1), List.of(units), null);
        }

        @Override
        public Flow<V> visit(TimeDistributedSpec layer) {
            if (layer.layer() instanceof DropoutSpec d) {
                return visit(d);
            }
            int steps = in.shape.get(0);
            int features = in.shape.get(1);
            // Every step becomes a sample: [batch * time, features], built under the wrapper's name.
            Flow<V> perStep = new Flow<>(ops.reshape(in.value, -1, features), List.of(features), null);
            Flow<V> out = layer.layer().accept(new LayerBuilder(name, perStep));
            int[] shape = new int[out.shape.size() + 2];
            shape[0] = -1;
            shape[1] = steps;
            for (int i = 0; i < out.shape.size(); i++) {
                shape[i + 2] = out.shape.get(i);
            }
            List<Integer> outShape = new ArrayList<>();
            outShape.add(steps);
            outShape.addAll(out.shape);
            return new Flow<>(ops.reshape(out.value, shape), outShape, in.mask);
        }

        @Override
        public Flow<V> visit(MaskingSpec layer) {
            // Keras: a step is kept where any feature differs from mask_value; the output is zero elsewhere.
            V keep = ops.max(ops.notEqual(in.value, (float) layer.maskValue()), -1, true);
            V mask = ops.reshape(keep, -1, in.shape.get(0));
            return new Flow<>(ops.mul(in.value, keep), in.shape, mask);
        }

        @Override
        public Flow<V> visit(Conv1DSpec layer) {
            int steps = in.shape.get(0);
            int channels = in.shape.get(1);
            int k = layer.kernelSize();
            int out = layer.padding().outputSteps(steps, layer.span(), layer.strides());
            V x = padForWindows(in.value, steps, out, layer.span(), layer.strides(), layer.padding(), 0f);
            List<V> taps = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                taps.add(window(x, j * layer.dilationRate(), out, layer.strides(), channels));
            }
            // im2col: the k taps side by side against the kernel [k, channels, filters] read as [k*channels, filters].
            V cols = k == 1 ? taps.get(0) : ops.concat(taps, 2);
            V kernel = ops.reshape(weights.get(name + "/kernel"), k * channels, layer.filters());
            V y = ops.matmul(ops.reshape(cols, -1, k * channels), kernel);
            if (layer.useBias()) {
                y = ops.add(y, weights.get(name + "/bias"));
            }
            y = activation(layer.activation(), y);
            List<Integer> shape = List.of(out, layer.filters());
            V result = ops.reshape(y, -1, out, layer.filters());
            activityPenalty(layer.rules().activityRegularizer(), result, shape);
            return new Flow<>(result, shape, null);
        }

        @Override
        public Flow<V> visit(Pooling1DSpec layer) {
            int steps = in.shape.get(0);
            int channels = in.shape.get(1);
            int p = layer.poolSize();
            int out = layer.padding().outputSteps(steps, p, layer.strides());
            boolean max = layer.pool() == Pooling1DSpec.Pool.MAX;
            // Padding is never the maximum (the lowest float) and never counted in the mean (zero, divided by real
            // counts).
            V x = padForWindows(in.value, steps, out, p, layer.strides(), layer.padding(), max ? -Float.MAX_VALUE : 0f);
            V acc = null;
            for (int j = 0; j < p; j++) {
                V tap = window(x, j, out, layer.strides(), channels);
                acc = acc == null ? tap : max ? ops.maximum(acc, tap) : ops.add(acc, tap);
            }
            if (!max) {
                float[] counts = windowCounts(steps, out, p, layer.strides(), layer.padding());
                acc = ops.div(acc, ops.constant(counts, out, 1));
            }
            return new Flow<>(acc, List.of(out, channels), null);
        }

        @Override
        public Flow<V> visit(GlobalPooling1DSpec layer) {
            int channels = in.shape.get(1);
            V y;
            if (layer.pool() == Pooling1DSpec.Pool.MAX) {
                y = ops.max(in.value, 1, false);
            } else if (in.mask != null) {
                V m = ops.reshape(in.mask, -1, in.shape.get(0), 1);
                y = ops.div(ops.sum(ops.mul(in.value, m), 1, false), ops.sum(m, 1, false));
            } else {
                y = ops.mean(in.value, 1, false);
            }
            if (layer.keepdims()) {
                return new Flow<>(ops.reshape(y, -1, 1, channels), List.of(1, channels), null);
            }
            return new Flow<>(y, List.of(channels), null);
        }

        @Override
        public Flow<V> visit(LayerNormalizationSpec layer) {
            V mean = ops.mean(in.value, -1, true);
            V variance = ops.mean(ops.square(ops.sub(in.value, mean)), -1, true);
            // Keras 3's op order: inv = rsqrt(var + eps) * gamma; y = x*inv + (beta - mean*inv).
            V inv = ops.div(ops.scalar(1f), ops.sqrt(ops.add(variance, ops.scalar((float) layer.epsilon()))));
            if (layer.scale()) {
                inv = ops.mul(inv, weights.get(name + "/gamma"));
            }
            V shift = ops.sub(ops.scalar(0f), ops.mul(mean, inv));
            if (layer.center()) {
                shift = ops.add(shift, weights.get(name + "/beta"));
            }
            return new Flow<>(ops.add(ops.mul(in.value, inv), shift), in.shape, in.mask);
        }

        @Override
        public Flow<V> visit(FlattenSpec layer) {
            if (in.shape.size() == 1) {
                return new Flow<>(in.value, in.shape, null);
            }
            int n = in.shape.get(0) * in.shape.get(1);
            return new Flow<>(ops.reshape(in.value, -1, n), List.of(n), null);
        }

        @Override
        public Flow<V> visit(RepeatVectorSpec layer) {
            List<V> copies = java.util.Collections.nCopies(layer.n(), in.value);
            return new Flow<>(ops.stack(copies, 1), List.of(layer.n(), in.shape.get(0)), null);
        }

        @Override
        public Flow<V> visit(ActivationSpec layer) {
            return new Flow<>(activation(layer.activation(), in.value), in.shape, in.mask);
        }
    }

    /**
     * The input of a window layer padded as Keras pads it: {@code causal} puts {@code span - 1} steps
     * before the sequence; {@code same} splits {@code (out-1)*strides + span - steps} around it, the
     * extra one after (TensorFlow's rule); then enough steps after it that every window's
     * {@code out*strides} rows can be cut out. {@code fill} is the padding value.
     */
    private V padForWindows(V x, int steps, int out, int span, int strides, Padding padding, float fill) {
        int before = 0;
        int after = 0;
        if (padding == Padding.CAUSAL) {
            before = span - 1;
        } else if (padding == Padding.SAME) {
            int total = Math.max((out - 1) * strides + span - steps, 0);
            before = total / 2;
            after = total - before;
        }
        int length = steps + before + after;
        // The last window starts at span - 1 and reads out*strides rows from there when strides > 1.
        int needed = strides == 1 ? 0 : Math.max(0, span - 1 + out * strides - length);
        // The rows past the real padding are never read by a window: their value does not matter.
        if (before > 0 || after + needed > 0) {
            x = ops.pad(x, 1, before, after + needed, fill);
        }
        return x;
    }

    /** Rows {@code start, start + strides, ...} ({@code out} of them) of a padded {@code [batch, steps, channels]}. */
    private V window(V x, int start, int out, int strides, int channels) {
        if (strides == 1) {
            return ops.slice(x, 1, start, out);
        }
        V rows = ops.slice(x, 1, start, out * strides);
        V grouped = ops.reshape(rows, -1, out, strides, channels);
        return ops.reshape(ops.slice(grouped, 2, 0, 1), -1, out, channels);
    }

    /** The number of real (not padding) steps in each output window of an average pooling. */
    private static float[] windowCounts(int steps, int out, int pool, int strides, Padding padding) {
        int before = 0;
        if (padding == Padding.SAME) {
            before = Math.max((out - 1) * strides + pool - steps, 0) / 2;
        }
        float[] counts = new float[out];
        for (int i = 0; i < out; i++) {
            int from = i * strides - before;
            int to = from + pool;
            counts[i] = Math.min(to, steps) - Math.max(from, 0);
        }
        return counts;
    }
}
