package org.rnn4j.api.sequence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrenceForm;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.ModelGraph.Mode;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.graph.Piece;
import org.rnn4j.api.graph.SequencePlan;
import org.rnn4j.api.graph.SequencePlan.Direction;
import org.rnn4j.api.graph.SequencePlan.Output;
import org.rnn4j.api.graph.SequencePlan.Stage;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.LayerInfo;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.sequence.Segments.Segment;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * Runs a model over a sequence chunk by chunk, once for every engine: the engine only builds and
 * runs {@link Piece}s ({@link PieceRunner}); this class cuts the sequence ({@link Segments}),
 * carries the recurrent states, and backpropagates through time exactly.
 *
 * <p><b>Forwards</b>, stage by stage ({@link SequencePlan}): a stage with a Bidirectional first
 * runs its backward direction over the chunks last to first (the pre-pass), saving that
 * direction's state at each chunk boundary; then every chunk in stage order, each direction's
 * state carried from the chunk before. A stage's sequence output is materialised for the next
 * stage; final outputs go to the head.
 *
 * <p><b>Backwards</b> (gradient checkpointing): only the states at chunk boundaries are kept
 * ({@code O(T/K)} per direction); each chunk is recomputed from them and differentiated by the
 * engine, with the gradient of its exit states fed as a seed and the gradient of its entry states
 * carried to the chunk before ({@code O(K)} activations at a time). Where a stage has a pre-pass
 * direction, whose gradient flows the other way, a first sweep (last chunk to first) carries the
 * forward directions' state gradients and saves them at each boundary; a second sweep (first to
 * last) carries the pre-pass direction's, now with every seed known, and takes the weights' and
 * the input's gradients. The result is the gradient of the whole-sequence graph up to float
 * rounding (checked against it by the conformance suite).
 *
 * <p>Memory beyond the pieces: the boundary states, a materialised sequence (and its gradient)
 * between stages, and the output of a sequence-output model. Calls are independent; thread safety
 * is the runner's.
 */
public final class SequenceDriver {
    private final ModelSpec spec;
    private final RecurrencePolicy policy;
    private final PieceRunner runner;
    private final Map<Mode, Optional<SequencePlan>> plans = new EnumMap<>(Mode.class);
    private final List<String> trainable;
    /** Each plan's stages taken apart once ({@link Stage}'s accessors build new lists on every call). */
    private final java.util.IdentityHashMap<Stage, StageParts> stageParts = new java.util.IdentityHashMap<>();
    /** Each mode's plan's state names, as a set (a carried state is checked against them at every call). */
    private final Map<Mode, Set<String>> stateNames = new EnumMap<>(Mode.class);
    /** {@link RecurrencePolicy#chunkSteps} per mode, asked once. */
    private final Map<Mode, Integer> chunkSteps = new java.util.concurrent.ConcurrentHashMap<>();

    /** A stage's directions: the main pass's, its state names, and the reverse pre-pass (if any). */
    private record StageParts(List<Direction> main, List<String> mainStates, Optional<Direction> prePass) {}

    public SequenceDriver(ModelSpec spec, RecurrencePolicy policy, PieceRunner runner) {
        this.spec = spec;
        this.policy = policy;
        this.runner = runner;
        // Weight penalties are added here, once per call (they read the weights, not the chunks); the pieces carry no
        // activity penalty, so a model with an activity regularizer runs its whole-sequence graph.
        boolean activity = activityRegularized(spec);
        for (Mode m : Mode.values()) {
            Optional<SequencePlan> plan = activity ? Optional.empty() : SequencePlan.of(spec, m);
            plans.put(m, plan);
            plan.ifPresent(p -> {
                stateNames.put(m, Set.copyOf(p.states()));
                for (Stage st : p.stages()) {
                    List<Direction> main = st.main();
                    stageParts.put(
                            st,
                            new StageParts(
                                    main,
                                    main.stream()
                                            .flatMap(d -> d.states().stream())
                                            .toList(),
                                    st.prePass()));
                }
            });
        }
        this.trainable = spec.weights().stream()
                .filter(WeightSpec::trainable)
                .map(WeightSpec::name)
                .toList();
    }

    /** Whether any layer output of {@code spec} carries a regularizer (Keras adds its penalty to the loss). */
    static boolean activityRegularized(ModelSpec spec) {
        return SpecJson.toJson(spec).findValues("activity_regularizer").stream().anyMatch(n -> !n.isNull());
    }

    /**
     * Keras's weight penalties, {@code l1 * sum(|w|) + l2 * sum(w^2)} over every regularized weight,
     * as the whole-sequence graph adds them to its loss (summed in double, rounded to float as the
     * graph's float32 scalar).
     */
    double weightPenalty(WeightStore weights) {
        double total = 0;
        for (WeightSpec w : spec.weights()) {
            if (w.regularizer() == null) {
                continue;
            }
            double abs = 0;
            double squares = 0;
            for (float v : weights.array(w.name())) {
                abs += Math.abs(v);
                squares += (double) v * v;
            }
            total += (float) (w.regularizer().l1() * abs)
                    + (float) (w.regularizer().l2() * squares);
        }
        return (float) total;
    }

    /** Adds the weight penalties' gradients, {@code l1 * sign(w) + 2 * l2 * w}, to the trainable weights'. */
    private void addWeightPenaltyGradients(Map<String, float[]> grads, WeightStore weights) {
        for (WeightSpec w : spec.weights()) {
            if (w.regularizer() == null || !w.trainable()) {
                continue;
            }
            float l1 = (float) w.regularizer().l1();
            float twoL2 = (float) (2 * w.regularizer().l2());
            float[] values = weights.array(w.name());
            float[] g = grads.computeIfAbsent(w.name(), n -> new float[values.length]);
            for (int i = 0; i < values.length; i++) {
                g[i] += l1 * Math.signum(values[i]) + twoL2 * values[i];
            }
        }
    }

    /** Whether a batch of {@code steps} steps runs here in chunks (else the engine runs its whole-sequence graph). */
    public boolean chunks(Mode mode, int steps) {
        return plans.get(mode).isPresent() && policy.form(spec, mode, steps) == RecurrenceForm.CHUNKED;
    }

    /** The chunk length used for {@code mode}. */
    public int chunkSteps(Mode mode) {
        return chunkSteps.computeIfAbsent(mode, m -> policy.chunkSteps(spec, m));
    }

    public Tensor predict(Tensor input, WeightStore weights) {
        Call c = new Call(Mode.INFERENCE, false, input, null, null, Map.of(), weights, RecurrentState.zeros(), 0);
        c.forward();
        return c.hasHead() ? c.headForward() : c.output;
    }

    public Program.Evaluation evaluate(Tensor input, Tensor target, WeightStore weights) {
        return evaluate(input, target, null, weights);
    }

    /** {@link #evaluate(Tensor, Tensor, WeightStore)} with the loss weighted per sample ({@code sampleWeight} may be null). */
    public Program.Evaluation evaluate(Tensor input, Tensor target, Tensor sampleWeight, WeightStore weights) {
        Call c = new Call(
                Mode.INFERENCE, true, input, target, sampleWeight, Map.of(), weights, RecurrentState.zeros(), 0);
        c.forward();
        Tensor out = c.hasHead() ? c.headForward() : c.output;
        return new Program.Evaluation(c.loss + weightPenalty(weights), out);
    }

    public Program.StepResult trainStep(Tensor input, Tensor target, WeightStore weights, Map<String, Tensor> noise) {
        return trainStep(input, target, null, weights, noise);
    }

    /** {@link #trainStep(Tensor, Tensor, WeightStore, Map)} with the loss weighted per sample ({@code sampleWeight} may be null). */
    public Program.StepResult trainStep(
            Tensor input, Tensor target, Tensor sampleWeight, WeightStore weights, Map<String, Tensor> noise) {
        Call c = new Call(Mode.TRAINING, true, input, target, sampleWeight, noise, weights, RecurrentState.zeros(), 0);
        c.forward();
        return c.backward();
    }

    /** See {@link Program#advance}. */
    public Program.Advance advance(Tensor input, RecurrentState from, WeightStore weights) {
        SequencePlan plan = streamablePlan(Mode.INFERENCE, "run step by step");
        Call c = new Call(
                Mode.INFERENCE,
                false,
                input,
                null,
                null,
                Map.of(),
                weights,
                check(plan, stateNames.get(Mode.INFERENCE), from, input),
                0);
        c.forward();
        Tensor out = c.hasHead() ? c.headForward() : c.output;
        return new Program.Advance(out, new RecurrentState(c.lastMain));
    }

    /** See {@link Program#trainSegment}. */
    public Program.SegmentResult trainSegment(
            Tensor input,
            Tensor target,
            RecurrentState from,
            WeightStore weights,
            Map<String, Tensor> noise,
            int backwardSteps) {
        SequencePlan plan = streamablePlan(Mode.TRAINING, "train in segments (truncated BPTT)");
        int steps = input.dim(1);
        int cut = backwardSteps >= steps ? 0 : steps - backwardSteps;
        Call c = new Call(
                Mode.TRAINING,
                true,
                input,
                target,
                null,
                noise,
                weights,
                check(plan, stateNames.get(Mode.TRAINING), from, input),
                cut);
        c.forward();
        Program.StepResult r = c.backward();
        return new Program.SegmentResult(r, new RecurrentState(c.lastMain));
    }

    private SequencePlan streamablePlan(Mode mode, String what) {
        SequencePlan plan = plans.get(mode)
                .orElseThrow(() -> new IllegalArgumentException("model '" + spec.name() + "' cannot " + what + ": "
                        + SequencePlan.whyNot(spec, mode).orElse("")));
        if (!plan.streamable()) {
            throw new IllegalArgumentException("model '" + spec.name() + "' cannot " + what
                    + ": a Bidirectional or go_backwards layer reads each sequence from its end; "
                    + "only models whose recurrent layers all read forwards can carry their state");
        }
        return plan;
    }

    private static RecurrentState check(SequencePlan plan, Set<String> names, RecurrentState from, Tensor input) {
        if (from == null) {
            throw new IllegalArgumentException("the recurrent state must not be null; use RecurrentState.zeros()");
        }
        if (from.isZero()) {
            return from;
        }
        if (!from.names().equals(names)) {
            throw new IllegalArgumentException(
                    "the recurrent state holds " + from.names() + " but the model's states are " + plan.states());
        }
        if (from.batch() != input.dim(0)) {
            throw new IllegalArgumentException("the recurrent state is for a batch of " + from.batch()
                    + " but the input has " + input.dim(0) + " samples");
        }
        for (Direction d : plan.stage(0).directions()) {
            for (String n : d.states()) {
                if (from.get(n).dim(1) != d.units()) {
                    throw new IllegalArgumentException("recurrent state '" + n + "' has "
                            + from.get(n).dim(1) + " units but the layer has " + d.units());
                }
            }
        }
        return from;
    }

    /** One call: its inputs, the boundary states, and what the forward pass produced. */
    private final class Call {
        final Mode mode;
        final boolean withLoss;
        final Tensor target;
        /** Keras's per-sample loss weights, shaped as the loss values, or null. */
        final Tensor sampleWeight;

        final Map<String, Tensor> noise;
        final WeightStore weights;
        final SequencePlan plan;
        final int batch;
        final int steps;
        final List<Segment> segments;
        final int cut;
        final RecurrentState from;
        /** Per stage: its input sequence (stage 0: the model input) and padding mask. */
        final Tensor[] inputs;

        final Tensor[] masks;
        /** Per stage, per chunk: every direction's entry state. */
        final List<List<Map<String, Tensor>>> entries = new ArrayList<>();

        final Map<String, Tensor> finals = new LinkedHashMap<>();
        /** The dropout masks each stage reads (worked out once per call). */
        final Map<Integer, List<NoiseSpec>> stageNoise = new java.util.HashMap<>();

        Map<String, Tensor> lastMain = Map.of();
        double loss;
        Tensor output;

        Call(
                Mode mode,
                boolean withLoss,
                Tensor input,
                Tensor target,
                Tensor sampleWeight,
                Map<String, Tensor> noise,
                WeightStore weights,
                RecurrentState from,
                int cut) {
            this.mode = mode;
            this.withLoss = withLoss;
            this.target = target;
            this.sampleWeight = sampleWeight;
            this.noise = noise;
            this.weights = weights;
            this.plan = plans.get(mode)
                    .orElseThrow(() -> new IllegalStateException("model '" + spec.name() + "' has no chunked plan"));
            this.batch = input.dim(0);
            this.steps = input.dim(1);
            this.cut = cut;
            this.from = from;
            this.segments = Segments.of(steps, chunkSteps(mode), cut);
            this.inputs = new Tensor[plan.stages().size()];
            this.masks = new Tensor[plan.stages().size()];
            inputs[0] = input;
        }

        boolean hasHead() {
            return plan.hasHead();
        }

        boolean isLast(Stage st) {
            return st.index() == plan.stages().size() - 1;
        }

        /** Whether the stage's pieces compute the loss. */
        boolean stageLoss(Stage st) {
            return withLoss && isLast(st) && st.output() == Output.SEQUENCE;
        }

        Piece piece(Stage st, Segment seg) {
            Piece p = Piece.stage(mode, stageLoss(st), st.index(), seg.length());
            return stageLoss(st) && sampleWeight != null ? p.weightedBySample() : p;
        }

        /** Where a chunk's outputs go in the stage's output sequence: reversed stages emit reversed time. */
        int outputStart(Stage st, Segment seg) {
            return st.reversed() ? steps - seg.end() : seg.start();
        }

        /** The inputs of a stage's chunk besides the states. */
        Map<String, Tensor> feeds(Stage st, Segment seg) {
            Map<String, Tensor> f = new LinkedHashMap<>();
            f.put("input", rows(inputs[st.index()], seg.start(), seg.length()));
            if (st.index() > 0 && st.inputMasked()) {
                f.put("mask", rows(masks[st.index()], seg.start(), seg.length()));
            }
            if (mode == Mode.TRAINING) {
                for (NoiseSpec n : stageNoise.computeIfAbsent(
                        st.index(), i -> ModelGraph.noiseSpecs(spec, steps, st.from(), st.to()))) {
                    Tensor m = requireNoise(n.name());
                    f.put(n.name(), n.shape().size() == 2 ? rows(m, seg.start(), seg.length()) : m);
                }
            }
            if (stageLoss(st)) {
                f.put("target", rows(target, outputStart(st, seg), seg.length()));
                f.put("loss_scale", Tensor.wrap(new float[] {(float) seg.length() / steps}));
                if (sampleWeight != null) {
                    f.put("sample_weight", rows(sampleWeight, outputStart(st, seg), seg.length()));
                }
            }
            return f;
        }

        Tensor requireNoise(String name) {
            Tensor m = noise.get(name);
            if (m == null) {
                throw new IllegalArgumentException(
                        "dropout mask '" + name + "' is missing; draw the masks with ModelGraph.noiseSpecs");
            }
            return m;
        }

        Map<String, Tensor> zeros(List<Direction> dirs) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Direction d : dirs) {
                for (String n : d.states()) {
                    out.put(n, Tensor.zeros(batch, d.units()));
                }
            }
            return out;
        }

        void forward() {
            for (Stage st : plan.stages()) {
                forward(st);
            }
        }

        private void forward(Stage st) {
            int n = segments.size();
            List<Map<String, Tensor>> saved = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                saved.add(new LinkedHashMap<>());
            }
            StageParts parts = stageParts.get(st);
            Optional<Direction> pre = parts.prePass();
            Map<String, Tensor> preCarried = Map.of();
            if (pre.isPresent()) {
                preCarried = zeros(List.of(pre.get()));
                for (int j = n - 1; j >= 0; j--) {
                    saved.get(j).putAll(preCarried);
                    Map<String, Tensor> f = feeds(st, segments.get(j));
                    f.putAll(preCarried);
                    preCarried = runner.forward(
                            piece(st, segments.get(j)), f, weights, pre.get().states());
                }
            }
            List<Direction> main = parts.main();
            Map<String, Tensor> carried =
                    st.index() == 0 && !from.isZero() ? new LinkedHashMap<>(from.tensors()) : zeros(main);
            boolean last = isLast(st);
            boolean sequence = st.output() == Output.SEQUENCE;
            int features = st.outputFeatures();
            float[] out = sequence ? new float[Math.toIntExact((long) batch * steps * features)] : null;
            float[] mask = sequence && !last && st.outputMasked() ? new float[batch * steps] : null;
            List<String> fetch = new ArrayList<>(parts.mainStates());
            if (sequence) {
                fetch.add("output");
            }
            if (mask != null) {
                fetch.add("mask");
            }
            if (stageLoss(st)) {
                fetch.add("loss");
            }
            for (int j : order(st, n)) {
                Segment seg = segments.get(j);
                saved.get(j).putAll(carried);
                Map<String, Tensor> f = feeds(st, seg);
                f.putAll(saved.get(j));
                Map<String, Tensor> r = runner.forward(piece(st, seg), f, weights, fetch);
                Map<String, Tensor> next = new LinkedHashMap<>();
                for (String name : carried.keySet()) {
                    next.put(name, r.get(name));
                }
                carried = next;
                if (out != null) {
                    writeRows(out, steps, features, outputStart(st, seg), r.get("output"));
                }
                if (mask != null) {
                    writeRows(mask, steps, 1, outputStart(st, seg), r.get("mask"));
                }
                if (stageLoss(st)) {
                    loss += r.get("loss").getDouble(0);
                }
            }
            entries.add(saved);
            lastMain = carried;
            if (!last) {
                inputs[st.index() + 1] = Tensor.wrap(out, batch, steps, features);
                masks[st.index() + 1] = mask == null ? null : Tensor.wrap(mask, batch, steps);
            } else if (sequence) {
                output = Tensor.wrap(out, outputShape());
            } else {
                for (String name : st.finals()) {
                    finals.put(name, carried.containsKey(name) ? carried.get(name) : preCarried.get(name));
                }
            }
        }

        /** The model output's shape for a sequence output: {@code [batch, steps, ...]}, whatever length the model declares. */
        int[] outputShape() {
            List<Integer> s = spec.outputShape();
            int[] shape = new int[s.size() + 1];
            shape[0] = batch;
            shape[1] = steps;
            for (int i = 1; i < s.size(); i++) {
                shape[i + 1] = s.get(i);
            }
            return shape;
        }

        /** The chunks in the order the stage's main pass visits them. */
        int[] order(Stage st, int n) {
            int[] o = new int[n];
            for (int i = 0; i < n; i++) {
                o[i] = st.reversed() ? n - 1 - i : i;
            }
            return o;
        }

        Piece headPiece(boolean loss) {
            Piece p = Piece.head(mode, loss);
            return loss && sampleWeight != null ? p.weightedBySample() : p;
        }

        Map<String, Tensor> headFeeds() {
            Map<String, Tensor> f = new LinkedHashMap<>(finals);
            if (withLoss) {
                f.put("target", target);
                if (sampleWeight != null) {
                    f.put("sample_weight", sampleWeight);
                }
            }
            if (mode == Mode.TRAINING) {
                for (NoiseSpec n : ModelGraph.noiseSpecs(spec, steps, plan.headFrom(), plan.layerCount())) {
                    f.put(n.name(), requireNoise(n.name()));
                }
            }
            return f;
        }

        Tensor headForward() {
            List<String> fetch = withLoss ? List.of("output", "loss") : List.of("output");
            Map<String, Tensor> r = runner.forward(headPiece(withLoss), headFeeds(), weights, fetch);
            if (withLoss) {
                loss = r.get("loss").getDouble(0);
            }
            return r.get("output");
        }

        Program.StepResult backward() {
            Map<String, float[]> grads = new LinkedHashMap<>();
            Map<String, Tensor> headSeeds = Map.of();
            Map<String, Tensor> stats = new LinkedHashMap<>();
            if (hasHead()) {
                List<String> fetch = new ArrayList<>(List.of("output", "loss"));
                List<String> statNames = batchStatNames();
                fetch.addAll(statNames);
                PieceRunner.Gradients g =
                        runner.backward(headPiece(true), headFeeds(), weights, Map.of("loss", one()), fetch);
                add(grads, g.weights(), null);
                headSeeds = g.inputs();
                output = g.outputs().get("output");
                loss = g.outputs().get("loss").getDouble(0);
                statNames.forEach(s -> stats.put(s, g.outputs().get(s)));
            }
            Tensor dOut = null;
            for (int s = plan.stages().size() - 1; s >= 0; s--) {
                dOut = backward(plan.stage(s), dOut, headSeeds, grads);
            }
            addWeightPenaltyGradients(grads, weights);
            loss += weightPenalty(weights);
            Map<String, Tensor> gradients = new LinkedHashMap<>();
            for (String name : trainable) {
                float[] g = grads.get(name);
                int[] shape = weights.spec(name).shapeArray();
                gradients.put(name, g == null ? Tensor.zeros(shape) : Tensor.wrap(g, shape));
            }
            return new Program.StepResult(
                    loss, output, Collections.unmodifiableMap(gradients), Collections.unmodifiableMap(stats));
        }

        /** BatchNormalization layers of the head update their moving statistics from the batch. */
        List<String> batchStatNames() {
            List<String> out = new ArrayList<>();
            for (LayerInfo info : spec.layerInfos().subList(plan.headFrom(), plan.layerCount())) {
                if (info.layer() instanceof org.rnn4j.api.layers.BatchNormalizationSpec) {
                    out.add(info.name() + "/moving_mean");
                    out.add(info.name() + "/moving_variance");
                }
            }
            return out;
        }

        /** Backpropagates through one stage; returns the gradient of its input sequence (null for stage 0). */
        private Tensor backward(Stage st, Tensor dOut, Map<String, Tensor> headSeeds, Map<String, float[]> grads) {
            int n = segments.size();
            List<Map<String, Tensor>> saved = entries.get(st.index());
            StageParts parts = stageParts.get(st);
            List<Direction> main = parts.main();
            Optional<Direction> pre = parts.prePass();
            int inFeatures = st.index() == 0 ? 0 : inputs[st.index()].dim(2);
            float[] dIn = st.index() == 0 ? null : new float[Math.toIntExact((long) batch * steps * inFeatures)];
            Set<String> beforeCutWeights = weightsAfter(st);
            Map<String, Tensor> carried = zeros(main);
            for (String name : st.finals()) {
                if (carried.containsKey(name)) {
                    carried.put(name, headSeeds.get(name));
                }
            }
            Map<String, Tensor> preZeros = pre.isPresent() ? zeros(List.of(pre.get())) : Map.of();
            List<Map<String, Tensor>> mainSeeds = new ArrayList<>(Collections.nCopies(n, null));
            int[] mainOrder = order(st, n);
            for (int i = n - 1; i >= 0; i--) {
                int j = mainOrder[i];
                Segment seg = segments.get(j);
                Map<String, Tensor> seeds = seeds(st, seg, dOut);
                seeds.putAll(carried);
                seeds.putAll(preZeros);
                PieceRunner.Gradients g = runner.backward(
                        piece(st, seg), feedsWithStates(st, seg, saved.get(j)), weights, seeds, List.of());
                if (pre.isEmpty()) {
                    add(grads, g.weights(), cut > 0 && seg.start() < cut ? beforeCutWeights : null);
                    if (dIn != null) {
                        writeRows(
                                dIn, steps, inFeatures, seg.start(), g.inputs().get("input"));
                    }
                } else {
                    mainSeeds.set(j, carried);
                }
                Map<String, Tensor> next = new LinkedHashMap<>();
                for (String name : carried.keySet()) {
                    // Truncated BPTT: the state's gradient does not cross the cut.
                    next.put(
                            name,
                            seg.start() == cut && cut > 0
                                    ? Tensor.zeros(batch, carried.get(name).dim(1))
                                    : g.inputs().get(name));
                }
                carried = next;
            }
            if (pre.isPresent()) {
                Map<String, Tensor> preCarried = new LinkedHashMap<>(preZeros);
                for (String name : st.finals()) {
                    if (preCarried.containsKey(name)) {
                        preCarried.put(name, headSeeds.get(name));
                    }
                }
                // The pre-pass direction ran last chunk first, so its gradient flows first chunk to last.
                for (int j = 0; j < n; j++) {
                    Segment seg = segments.get(j);
                    Map<String, Tensor> seeds = seeds(st, seg, dOut);
                    seeds.putAll(mainSeeds.get(j));
                    seeds.putAll(preCarried);
                    PieceRunner.Gradients g = runner.backward(
                            piece(st, seg), feedsWithStates(st, seg, saved.get(j)), weights, seeds, List.of());
                    add(grads, g.weights(), null);
                    if (dIn != null) {
                        writeRows(
                                dIn, steps, inFeatures, seg.start(), g.inputs().get("input"));
                    }
                    Map<String, Tensor> next = new LinkedHashMap<>();
                    for (String name : preCarried.keySet()) {
                        next.put(name, g.inputs().get(name));
                    }
                    preCarried = next;
                }
            }
            return dIn == null ? null : Tensor.wrap(dIn, batch, steps, inFeatures);
        }

        Map<String, Tensor> feedsWithStates(Stage st, Segment seg, Map<String, Tensor> states) {
            Map<String, Tensor> f = feeds(st, seg);
            f.putAll(states);
            return f;
        }

        /** The loss or output seed of a stage's chunk. */
        Map<String, Tensor> seeds(Stage st, Segment seg, Tensor dOut) {
            Map<String, Tensor> seeds = new LinkedHashMap<>();
            if (stageLoss(st)) {
                seeds.put("loss", one());
            } else if (st.output() == Output.SEQUENCE) {
                seeds.put("output", rows(dOut, outputStart(st, seg), seg.length()));
            }
            return seeds;
        }

        /** The weights of the stage's layers after its last recurrent layer (truncated BPTT trains them on every step). */
        Set<String> weightsAfter(Stage st) {
            Set<String> out = new HashSet<>();
            for (LayerInfo info : spec.layerInfos().subList(st.lastRecurrent() + 1, st.to())) {
                info.weights().forEach(w -> out.add(w.name()));
            }
            return out;
        }

        /** Adds gradients into the running sums ({@code only}: the weights to take, or null for all). */
        void add(Map<String, float[]> sums, Map<String, Tensor> g, Set<String> only) {
            for (Map.Entry<String, Tensor> e : g.entrySet()) {
                if (!trainable.contains(e.getKey()) || (only != null && !only.contains(e.getKey()))) {
                    continue;
                }
                float[] v = e.getValue().floatView();
                float[] s = sums.get(e.getKey());
                if (s == null) {
                    sums.put(e.getKey(), v.clone());
                } else {
                    for (int i = 0; i < s.length; i++) {
                        s[i] += v[i];
                    }
                }
            }
        }
    }

    private static Tensor one() {
        return Tensor.wrap(new float[] {1f});
    }

    /** Steps {@code [start, start + length)} of a {@code [batch, time, ...]} tensor. */
    /** Steps {@code [start, start + length)} of a {@code [batch, time, ...]} tensor. */
    public static Tensor rows(Tensor t, int start, int length) {
        int[] shape = t.shape();
        int time = shape[1];
        int inner = 1;
        for (int i = 2; i < shape.length; i++) {
            inner *= shape[i];
        }
        int[] outShape = shape.clone();
        outShape[1] = length;
        int b = shape[0];
        if (start == 0 && length == time) {
            return t;
        }
        if (t.dtype() == DType.INT32) {
            int[] src = t.intView();
            int[] dst = new int[b * length * inner];
            for (int i = 0; i < b; i++) {
                System.arraycopy(src, (i * time + start) * inner, dst, i * length * inner, length * inner);
            }
            return Tensor.wrapInts(dst, outShape);
        }
        float[] src = t.floatView();
        float[] dst = new float[b * length * inner];
        for (int i = 0; i < b; i++) {
            System.arraycopy(src, (i * time + start) * inner, dst, i * length * inner, length * inner);
        }
        return Tensor.wrap(dst, outShape);
    }

    /** Writes a chunk {@code [batch, length, inner...]} into steps {@code [start, start + length)} of {@code dst}. */
    /** Writes a chunk of steps into a {@code [batch, time, inner]} array at step {@code start}. */
    public static void writeRows(float[] dst, int time, int inner, int start, Tensor chunk) {
        float[] src = chunk.floatView();
        int b = chunk.dim(0);
        int length = chunk.dim(1);
        for (int i = 0; i < b; i++) {
            System.arraycopy(src, i * length * inner, dst, (i * time + start) * inner, length * inner);
        }
    }
}
