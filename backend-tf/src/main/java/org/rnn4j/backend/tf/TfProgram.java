package org.rnn4j.backend.tf;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rnn4j.api.backend.BackendException;
import org.rnn4j.api.backend.CheckedProgram;
import org.rnn4j.api.backend.GraphCache;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.graph.BuiltPiece;
import org.rnn4j.api.graph.ModelGraph.Mode;
import org.rnn4j.api.graph.Piece;
import org.rnn4j.api.graph.StepForm;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.sequence.PieceRunner;
import org.rnn4j.api.sequence.SequenceDriver;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TFUnimplementedException;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RunOptions;

/**
 * A model compiled for TensorFlow. Graphs are built on first use, one per (mode, time steps,
 * loss) for short sequences, one per {@link Piece} for long ones (as the {@link RecurrencePolicy}
 * decides; the api's {@link SequenceDriver} runs the pieces chunk by chunk), and kept in one
 * bounded {@link GraphCache}: a model trained on windows of 50 steps builds one training graph,
 * one evaluation graph and one prediction graph, whatever the number of batches.
 *
 * <p>Thread-safe: any number of threads may call {@link #predict} (and {@link #evaluate}) at
 * once; sessions are thread-safe and a graph is complete before its session runs. {@link #close()}
 * waits for running calls; later calls throw {@link IllegalStateException}.
 */
final class TfProgram extends CheckedProgram {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TfProgram.class);
    private final ConfigProto config;
    private final Consumer<TfProgram> onClose;
    private final boolean unknownTime;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Written under the write lock, read under the read lock. */
    private boolean closed;

    private final GraphCache<Object, TfGraph> graphs;
    private final SequenceDriver driver;
    private final Object weightsLock = new Object();
    /** The native states of the last runs, fed back as they are (see {@link TfEchoes}). */
    private final TfEchoes echoes = new TfEchoes();
    /** Kernel time by op type when {@value TfOpProfile#PROPERTY} is on (its runs go through the runner), else null. */
    private final TfOpProfile profile = TfOpProfile.enabled() ? new TfOpProfile() : null;
    /** Whether runs go through TensorFlow's C API ({@link TfNativeRun}); read when the program is made. */
    private final boolean nativeRuns = profile == null && TfNativeRun.enabled();
    /**
     * Native runs not in use, for the next run to take (as many as ran at once). Guarded by
     * itself: an uncontended lock and no allocation, where a ConcurrentLinkedQueue's offer took about
     * 1% of a stream step (a node and a CAS per call).
     */
    private final java.util.ArrayDeque<TfNativeRun> idleRuns = new java.util.ArrayDeque<>();
    /** Guarded by weightsLock. */
    private TfWeights uploaded;

    private final boolean fusedLstm;
    private final TfForms forms;
    /** What a tuned choice depends on besides the model and shape (machine, engine, threads). */
    private final List<String> tuningContext;
    /** Whether the model has an LSTM, the only layer with a fused form. */
    private final boolean hasLstm;
    /** Whether autotuning has anything to choose for this model (it has a recurrent layer). */
    private final boolean tunable;
    /** The tuned form per whole-graph length (absent: not tuned, the rule applies). */
    private final Map<Integer, FormChoice> tuned = new java.util.concurrent.ConcurrentHashMap<>();
    /** The tuned form of forward-only whole graphs per (length, power-of-two batch size class). */
    private final Map<List<Integer>, FormChoice> tunedInference = new java.util.concurrent.ConcurrentHashMap<>();

    private final Object tuningLock = new Object();

    TfProgram(ModelSpec spec, ConfigProto config, Consumer<TfProgram> onClose) {
        this(spec, config, onClose, true, RecurrencePolicy.defaults());
    }

    TfProgram(
            ModelSpec spec,
            ConfigProto config,
            Consumer<TfProgram> onClose,
            boolean fusedLstm,
            RecurrencePolicy policy) {
        this(spec, config, onClose, fusedLstm, policy, TfForms.rule(), List.of());
    }

    /**
     * @param fusedLstm whether qualifying LSTMs run as TensorFlow's fused op ({@link TfOps#lstm}); tests compare both
     * @param policy    the form of the recurrences per sequence length
     */
    TfProgram(
            ModelSpec spec,
            ConfigProto config,
            Consumer<TfProgram> onClose,
            boolean fusedLstm,
            RecurrencePolicy policy,
            TfForms forms,
            List<String> tuningContext) {
        super(spec);
        this.forms = forms;
        this.tuningContext = List.copyOf(tuningContext);
        this.tunable = forms.autotune()
                && spec.layers().stream()
                        .anyMatch(l -> l instanceof org.rnn4j.api.layers.RecurrentSpec
                                || l instanceof org.rnn4j.api.layers.BidirectionalSpec);
        this.hasLstm = spec.layers().stream()
                .anyMatch(l -> l instanceof org.rnn4j.api.layers.LstmSpec
                        || (l instanceof org.rnn4j.api.layers.BidirectionalSpec b
                                && b.layer() instanceof org.rnn4j.api.layers.LstmSpec));
        this.config = config;
        this.onClose = onClose;
        this.unknownTime = spec.inputShape().get(0) == -1;
        this.fusedLstm = fusedLstm;
        this.graphs =
                new GraphCache<>("tf model '" + spec.name() + "'", GraphCache.DEFAULT_CAPACITY, TfProgram::weight);
        this.driver = new SequenceDriver(spec, policy, new Pieces());
    }

    /** Which graph a call needs. */
    /**
     * @param form the form an inference graph was tuned to, or null: a training graph (its length's
     *             tuned form, {@link #tuned}), or the rule
     */
    private record GraphKey(Mode mode, int timeSteps, boolean withLoss, boolean weighted, FormChoice form) {
        GraphKey(Mode mode, int timeSteps, boolean withLoss, boolean weighted) {
            this(mode, timeSteps, withLoss, weighted, null);
        }

        GraphKey withForm(FormChoice f) {
            return new GraphKey(mode, timeSteps, withLoss, weighted, f);
        }

        @Override
        public String toString() {
            return (mode == Mode.TRAINING ? "training" : withLoss ? "evaluation" : "inference") + " graph for "
                    + timeSteps + " time steps" + (weighted ? ", samples weighted" : "");
        }
    }

    @Override
    protected Tensor runPredict(Tensor input, int steps, WeightStore weights) {
        return call(() -> {
            if (driver.chunks(Mode.INFERENCE, timeSteps(input))) {
                return driver.predict(input, weights);
            }
            int length = timeSteps(input);
            GraphKey key = new GraphKey(Mode.INFERENCE, length, false, false, inferenceForm(length, input, weights));
            try (GraphCache.Lease<TfGraph> lease = graph(key)) {
                TfGraph g = lease.graph();
                return run(
                                g,
                                input,
                                null,
                                null,
                                Map.of(),
                                weights,
                                List.of(g.built().output()))
                        .get(0);
            }
        });
    }

    @Override
    protected Evaluation runEvaluate(Tensor input, int steps, Tensor target, Tensor sampleWeight, WeightStore weights) {
        return call(() -> {
            // Long sequences run in pieces (sample weights too: the pieces that compute the loss read them).
            if (driver.chunks(Mode.INFERENCE, timeSteps(input))) {
                return driver.evaluate(input, target, sampleWeight, weights);
            }
            int length = timeSteps(input);
            GraphKey key = new GraphKey(
                    Mode.INFERENCE, length, true, sampleWeight != null, inferenceForm(length, input, weights));
            try (GraphCache.Lease<TfGraph> lease = graph(key)) {
                TfGraph g = lease.graph();
                List<Tensor> out = run(
                        g,
                        input,
                        target,
                        sampleWeight,
                        Map.of(),
                        weights,
                        List.of(g.built().loss(), g.built().output()));
                return new Evaluation(out.get(0).getDouble(0), out.get(1));
            }
        });
    }

    @Override
    protected StepResult runTrainStep(
            Tensor input,
            int steps,
            Tensor target,
            Tensor sampleWeight,
            WeightStore weights,
            Map<String, Tensor> noise) {
        return call(() -> {
            if (driver.chunks(Mode.TRAINING, timeSteps(input))) {
                return driver.trainStep(input, target, sampleWeight, weights, noise);
            }
            GraphKey key = new GraphKey(Mode.TRAINING, timeSteps(input), true, sampleWeight != null);
            if (tunable && !tuned.containsKey(key.timeSteps())) {
                tune(key, input, target, sampleWeight, weights, noise);
            }
            try (GraphCache.Lease<TfGraph> lease = graph(key)) {
                return trainWhole(lease.graph(), input, target, sampleWeight, weights, noise);
            }
        });
    }

    private StepResult trainWhole(
            TfGraph g,
            Tensor input,
            Tensor target,
            Tensor sampleWeight,
            WeightStore weights,
            Map<String, Tensor> noise) {
        {
            List<Operand<?>> fetches = new ArrayList<>();
            fetches.add(g.built().loss());
            fetches.add(g.built().output());
            g.gradients().values().forEach(fetches::add);
            fetches.addAll(g.built().batchStats().values());
            List<Tensor> out = run(g, input, target, sampleWeight, noise, weights, fetches);
            int k = 2;
            Map<String, Tensor> gradients = new LinkedHashMap<>();
            for (String name : g.gradients().keySet()) {
                gradients.put(name, out.get(k++).reshape(weights.spec(name).shapeArray()));
            }
            Map<String, Tensor> batchStats = new LinkedHashMap<>();
            for (String name : g.built().batchStats().keySet()) {
                batchStats.put(name, out.get(k++));
            }
            return new StepResult(
                    out.get(0).getDouble(0),
                    out.get(1),
                    Collections.unmodifiableMap(gradients),
                    Collections.unmodifiableMap(batchStats));
        }
    }

    @Override
    protected Advance runAdvance(Tensor input, RecurrentState from, WeightStore weights) {
        return call(() -> driver.advance(input, from, weights));
    }

    @Override
    protected SegmentResult runTrainSegment(
            Tensor input,
            int steps,
            Tensor target,
            RecurrentState from,
            WeightStore weights,
            Map<String, Tensor> noise,
            int backwardSteps) {
        return call(() -> {
            return driver.trainSegment(input, target, from, weights, noise, backwardSteps);
        });
    }

    /** The op profile so far ({@value TfOpProfile#PROPERTY}), or empty when profiling is off. */
    java.util.Optional<TfOpProfile> opProfile() {
        return java.util.Optional.ofNullable(profile);
    }

    /** Closes every session and graph and the uploaded weights, after running calls finish. Idempotent. */
    @Override
    public void close() {
        Lock write = lifecycle.writeLock();
        write.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (profile != null && profile.runs() > 0) {
                LOG.info(
                        "rnn4j: where TensorFlow's time went, by op type ({}):\n{}",
                        TfOpProfile.PROPERTY,
                        profile.table(30));
            }
            try {
                echoes.close();
                try {
                    graphs.close();
                } finally {
                    synchronized (idleRuns) {
                        idleRuns.forEach(TfNativeRun::close);
                        idleRuns.clear();
                    }
                }
            } finally {
                synchronized (weightsLock) {
                    if (uploaded != null) {
                        uploaded.release();
                        uploaded = null;
                    }
                }
            }
        } finally {
            write.unlock();
        }
        onClose.accept(this);
    }

    /** A graph's weight in the cache: the time steps it unrolls (a head, 1). */
    static int weight(Object key) {
        if (key instanceof Piece p) {
            return Math.max(1, p.steps());
        }
        return Math.max(1, ((GraphKey) key).timeSteps());
    }

    /** How many native states are kept to be fed back (for tests). */
    int echoCount() {
        return echoes.size();
    }

    /** How many graphs are built and open; for tests of the cache. */
    int graphCount() {
        return graphs.size();
    }

    /** The keys of the graphs kept, least recently used first (for tests). */
    List<Object> graphKeys() {
        return graphs.keys();
    }

    private <T> T call(Supplier<T> body) {
        Lock read = lifecycle.readLock();
        read.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the TensorFlow program of model '" + spec.name()
                        + "' is closed; compile the model again with a backend that is still open");
            }
            return body.get();
        } finally {
            read.unlock();
        }
    }

    private int timeSteps(Tensor input) {
        return unknownTime ? input.dim(1) : spec.inputShape().get(0);
    }

    private GraphCache.Lease<TfGraph> graph(Object key) {
        return graphs.lease(key, this::build);
    }

    private TfGraph build(Object key) {
        try {
            if (key instanceof Piece p) {
                return TfGraph.buildPiece(spec, p, config, fusedLstm, forms.forced());
            }
            GraphKey k = (GraphKey) key;
            FormChoice form =
                    forms.forced() != null ? forms.forced() : k.form() != null ? k.form() : tuned.get(k.timeSteps());
            return buildWhole(k, form);
        } catch (TensorFlowException | TFInvalidArgumentException | TFUnimplementedException e) {
            throw new BackendException(
                    "tf", "building the " + key + " of model '" + spec.name() + "' failed: " + e.getMessage(), e);
        } catch (LinkageError e) {
            throw new BackendException(
                    "tf",
                    "TensorFlow's native library could not be loaded on " + System.getProperty("os.name") + "/"
                            + System.getProperty("os.arch") + " (" + e + "); choose another backend",
                    e);
        }
    }

    /** {@code k}'s graph in {@code form}, or when null by the rule. */
    private TfGraph buildWhole(GraphKey k, FormChoice form) {
        String description = k.toString() + (form != null ? ", " + form.jsonName() + " steps" : "");
        return TfGraph.build(
                spec,
                k.mode(),
                k.timeSteps(),
                k.withLoss(),
                k.weighted(),
                k.mode() == Mode.TRAINING,
                config,
                description,
                fusedLstm,
                form);
    }

    /** Timed runs per candidate form at most; fewer once {@link #TUNING_BUDGET_NANOS} of timed runs are spent. */
    static final int TUNING_ROUNDS = 5;

    /** The most rows a forecast's tuning runs on (the first ones of its batch). */
    static final int TUNING_MAX_ROWS = 1024;

    /** Timed rounds always run, whatever they cost. */
    static final int TUNING_MIN_ROUNDS = 2;

    /** The time the timed rounds may take before the tuner stops after {@link #TUNING_MIN_ROUNDS}. */
    static final long TUNING_BUDGET_NANOS = 3_000_000_000L;

    /**
     * Autotuning of training graphs (see {@link TfForms}): the form of every whole-sequence
     * training graph of this length, timed on this batch (a training step computes gradients and no
     * update, so the timed runs change nothing).
     */
    private void tune(
            GraphKey key,
            Tensor input,
            Tensor target,
            Tensor sampleWeight,
            WeightStore weights,
            Map<String, Tensor> noise) {
        synchronized (tuningLock) {
            if (tuned.containsKey(key.timeSteps())) {
                return;
            }
            FormChoice winner = chooseForm(
                    key, input.dim(0), false, g -> trainWhole(g, input, target, sampleWeight, weights, noise));
            tuned.put(key.timeSteps(), winner);
        }
    }

    /**
     * The form of a forward-only whole-sequence graph (predict, evaluate) of this length for this
     * batch: tuned per power-of-two batch size class, since the fastest form of a forecast of one
     * window (the fewest ops) and of 1,024 (the best matmuls) differ (W1b: plain runs 1,024 windows
     * twice as fast as the fused op). Null when the rule applies (tuning off, nothing recurrent).
     */
    private FormChoice inferenceForm(int steps, Tensor input, WeightStore weights) {
        if (forms.forced() != null || !tunable) {
            return null;
        }
        int batchClass = Integer.highestOneBit(Math.max(1, Math.min(input.dim(0), TUNING_MAX_ROWS)));
        List<Integer> shape = List.of(steps, batchClass);
        FormChoice f = tunedInference.get(shape);
        if (f != null) {
            return f;
        }
        synchronized (tuningLock) {
            f = tunedInference.get(shape);
            if (f == null) {
                GraphKey key = new GraphKey(Mode.INFERENCE, steps, false, false);
                // Timed on at most TUNING_MAX_ROWS rows: a forecast of a million windows in one call
                // must not run a dozen times over. Larger batches share the largest class.
                Tensor rows = input.dim(0) > TUNING_MAX_ROWS ? input.sliceRows(0, TUNING_MAX_ROWS) : input;
                f = chooseForm(
                        key,
                        batchClass,
                        true,
                        g -> run(
                                g,
                                rows,
                                null,
                                null,
                                Map.of(),
                                weights,
                                List.of(g.built().output())));
                tunedInference.put(shape, f);
            }
            return f;
        }
    }

    /**
     * Reads the choice for this machine, model and shape from the tuning cache, or builds {@code key}'s
     * graph in every candidate form, runs each once untimed and then in interleaved timed rounds, and
     * keeps the form with the fastest run (the minimum: other work on the machine only ever adds
     * time). Only the winner's graph goes into the graph cache: under {@code key} for training, under
     * {@code key} with its form for a forward-only graph (another batch class may choose another).
     *
     * @param batch       the batch size (training) or batch size class (inference) the choice is for
     * @param forwardOnly whether {@code key} is a forward-only graph (its choice is recorded apart)
     */
    private FormChoice chooseForm(
            GraphKey key, int batch, boolean forwardOnly, java.util.function.Consumer<TfGraph> runOnce) {
        List<FormChoice> choices = candidates(key.timeSteps());
        List<String> parts = new ArrayList<>(tuningContext);
        parts.add("model=" + org.rnn4j.api.json.SpecJson.write(spec));
        parts.add("batch=" + batch);
        parts.add("steps=" + key.timeSteps());
        parts.add("weighted=" + key.weighted());
        // The candidates too: a choice made before a form was added (gate_major) is timed again, not kept.
        parts.add("candidates=" + choices.stream().map(FormChoice::jsonName).toList());
        if (forwardOnly) {
            parts.add("mode=inference");
        }
        String cacheKey = org.rnn4j.api.backend.TuningCache.key(parts);
        String shape = "model '" + spec.name() + "', " + (forwardOnly ? "inference, batch about " : "batch ") + batch
                + ", " + key.timeSteps() + " steps";
        if (forms.cache() != null) {
            java.util.Optional<FormChoice> cached = forms.cache().get(cacheKey).flatMap(FormChoice::parse);
            if (cached.isPresent()) {
                LOG.debug(
                        "rnn4j: {} runs its recurrences {} (tuned before, {})",
                        shape,
                        cached.get().jsonName(),
                        forms.cache().file());
                return cached.get();
            }
        }
        Map<FormChoice, TfGraph> candidates = new LinkedHashMap<>();
        Map<FormChoice, Long> fastest = new LinkedHashMap<>();
        FormChoice winner;
        try {
            for (FormChoice f : choices) {
                TfGraph g = buildWhole(forwardOnly ? key.withForm(f) : key, f);
                candidates.put(f, g);
                if (f.form() == StepForm.FUSED && g.fusedLayers() == 0) {
                    continue; // no LSTM can run fused here: the same graph as the hoisted one
                }
                fastest.put(f, Long.MAX_VALUE);
                runOnce.accept(g);
            }
            long spent = 0;
            for (int round = 0;
                    round < TUNING_ROUNDS && (round < TUNING_MIN_ROUNDS || spent < TUNING_BUDGET_NANOS);
                    round++) {
                for (FormChoice f : List.copyOf(fastest.keySet())) {
                    long t0 = System.nanoTime();
                    runOnce.accept(candidates.get(f));
                    long t = System.nanoTime() - t0;
                    spent += t;
                    fastest.merge(f, t, Math::min);
                }
            }
            winner = fastest.entrySet().stream()
                    .min(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey();
            // Only the winner's graph is kept (the graph cache's room is for graphs that run).
            TfGraph chosen = candidates.remove(winner);
            boolean[] taken = {false};
            try (GraphCache.Lease<TfGraph> lease = graphs.lease(forwardOnly ? key.withForm(winner) : key, k -> {
                taken[0] = true;
                return chosen;
            })) {
                // the winner now lives in the graph cache
            }
            if (!taken[0]) {
                chosen.close();
            }
        } finally {
            candidates.values().forEach(TfGraph::close);
        }
        StringBuilder times = new StringBuilder();
        fastest.forEach((f, t) -> times.append(times.length() == 0 ? "" : ", ")
                .append(f.jsonName())
                .append(' ')
                .append(String.format(java.util.Locale.ROOT, "%.2f", t / 1e6))
                .append(" ms"));
        if (forms.cache() != null) {
            forms.cache().put(cacheKey, winner.jsonName(), "tf " + shape + ": " + times);
        }
        LOG.info(
                "rnn4j: autotuned {}: {} steps ({}; fastest of a few runs each{})",
                shape,
                winner.jsonName(),
                times,
                forms.cache() != null ? "; kept in " + forms.cache().file() : "");
        return winner;
    }

    /** The form this program's whole-sequence graphs of {@code timeSteps} use, when tuned or forced (tests). */
    java.util.Optional<StepForm> stepForm(int timeSteps) {
        return forms.forced() != null
                ? java.util.Optional.of(forms.forced().form())
                : java.util.Optional.ofNullable(tuned.get(timeSteps)).map(FormChoice::form);
    }

    /**
     * Runs the whole-sequence graphs of {@code timeSteps} steps in {@code choice}, as if tuned, for a
     * program that does not tune (tests: every choice computes the same step).
     */
    void useChoice(int timeSteps, FormChoice choice) {
        if (tunable || forms.forced() != null) {
            throw new IllegalStateException("only an untuned program without a forced form takes a choice");
        }
        tuned.put(timeSteps, choice);
    }

    /** The tuned choice of this program's whole-sequence training graphs of {@code timeSteps} (tests). */
    java.util.Optional<FormChoice> tunedChoice(int timeSteps) {
        return java.util.Optional.ofNullable(tuned.get(timeSteps));
    }

    /**
     * What autotuning times for {@code steps} steps: plain and hoisted, each with the weight matrices
     * as they are and transposed, and, when the model has an LSTM, the gate-major form, the fused
     * form with one op per layer and, when a fused stack can be pipelined ({@link
     * TfOps#pipelineChunks}), in chunks.
     */
    private List<FormChoice> candidates(int steps) {
        List<FormChoice> all = new ArrayList<>();
        for (StepForm f : List.of(StepForm.PLAIN, StepForm.HOISTED)) {
            all.add(FormChoice.of(f));
            all.add(FormChoice.transposed(f));
        }
        if (hasLstm) {
            all.add(FormChoice.of(StepForm.GATE_MAJOR));
            all.add(FormChoice.of(StepForm.FUSED));
            int chunks = TfOps.pipelineChunks(spec, steps, StepForm.FUSED, fusedLstm, TfGraph.interOpThreads(config));
            if (chunks > 1) {
                all.add(FormChoice.fused(chunks));
            }
        }
        return all;
    }

    /** Runs the driver's pieces on TensorFlow; any number of calls at once, like the whole graphs. */
    private final class Pieces implements PieceRunner {
        @Override
        public Map<String, Tensor> forward(
                Piece piece, Map<String, Tensor> inputs, WeightStore weights, Collection<String> fetch) {
            try (GraphCache.Lease<TfGraph> lease = graph(piece)) {
                TfGraph g = lease.graph();
                BuiltPiece<Operand<?>> b = g.piece();
                List<Operand<?>> fetches = new ArrayList<>();
                for (String n : fetch) {
                    fetches.add(output(b, n));
                }
                List<String> names = List.copyOf(fetch);
                List<Tensor> out = runPiece(g, inputs, Map.of(), weights, fetches, k -> isState(b, names.get(k)));
                Map<String, Tensor> result = new LinkedHashMap<>();
                int k = 0;
                for (String n : fetch) {
                    result.put(n, out.get(k++));
                }
                return result;
            }
        }

        @Override
        public Gradients backward(
                Piece piece,
                Map<String, Tensor> inputs,
                WeightStore weights,
                Map<String, Tensor> seeds,
                Collection<String> fetch) {
            try (GraphCache.Lease<TfGraph> lease = graph(piece)) {
                TfGraph g = lease.graph();
                BuiltPiece<Operand<?>> b = g.piece();
                List<Operand<?>> fetches = new ArrayList<>();
                for (String n : fetch) {
                    fetches.add(output(b, n));
                }
                g.gradients().values().forEach(fetches::add);
                g.inputGradients().values().forEach(fetches::add);
                Map<Operand<?>, Tensor> seedFeeds = new LinkedHashMap<>();
                for (Map.Entry<String, Operand<?>> e : g.seeds().entrySet()) {
                    Tensor t = seeds.get(e.getKey());
                    if (t == null) {
                        throw new IllegalArgumentException("no seed for output '" + e.getKey() + "' of the " + piece);
                    }
                    seedFeeds.put(e.getValue(), t);
                }
                List<Tensor> out = runPiece(g, inputs, seedFeeds, weights, fetches, k -> false);
                int k = 0;
                Map<String, Tensor> outputs = new LinkedHashMap<>();
                for (String n : fetch) {
                    outputs.put(n, out.get(k++));
                }
                Map<String, Tensor> dw = new LinkedHashMap<>();
                for (String name : g.gradients().keySet()) {
                    dw.put(name, out.get(k++).reshape(weights.spec(name).shapeArray()));
                }
                Map<String, Tensor> din = new LinkedHashMap<>();
                for (String name : g.inputGradients().keySet()) {
                    din.put(name, out.get(k++));
                }
                return new Gradients(outputs, dw, din);
            }
        }

        /** A recurrent state at the piece's exit: an output fed back under the same name (not the sequence or its mask). */
        private static boolean isState(BuiltPiece<Operand<?>> b, String name) {
            return !name.equals("input") && !name.equals("mask") && b.inputs().containsKey(name);
        }

        private static Operand<?> output(BuiltPiece<Operand<?>> b, String name) {
            Operand<?> o = b.outputs().get(name);
            if (o == null) {
                throw new IllegalArgumentException("the piece has no output '" + name + "'; it has "
                        + b.outputs().keySet());
            }
            return o;
        }
    }

    /** One run of a piece: its inputs fed by name (those the piece lacks are skipped), the weights, the seeds. */
    private List<Tensor> runPiece(
            TfGraph g,
            Map<String, Tensor> inputs,
            Map<Operand<?>, Tensor> seeds,
            WeightStore store,
            List<Operand<?>> fetches,
            java.util.function.IntPredicate echoed) {
        Map<Operand<?>, Tensor> feeds = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            Operand<?> p = g.piece().inputs().get(e.getKey());
            if (p != null) {
                feeds.put(p, e.getValue());
            }
        }
        feeds.putAll(seeds);
        return execute(
                g, feeds, g.piece().weights(), store, fetches, g.pieceKey().steps() <= CALLER_THREAD_MAX_STEPS, echoed);
    }

    /**
     * Pieces of at most this many steps run on the calling thread: handing a short run to
     * TensorFlow's inter-op pool and back costs about as much as its work (measured on
     * SimpleRNN(32), batch 32: 123 against 63 microseconds for a one-step run), while longer
     * pieces gain from the pool running their independent ops side by side (a 256-step training
     * chunk took 3.7 ms with the pool, 5.3 ms on the calling thread).
     */
    static final int CALLER_THREAD_MAX_STEPS = 16;

    private List<Tensor> run(
            TfGraph g,
            Tensor input,
            Tensor target,
            Tensor sampleWeight,
            Map<String, Tensor> noise,
            WeightStore store,
            List<Operand<?>> fetches) {
        Map<Operand<?>, Tensor> feeds = new LinkedHashMap<>();
        feeds.put(g.built().input(), input);
        if (target != null) {
            feeds.put(g.built().target(), target);
        }
        if (sampleWeight != null) {
            feeds.put(g.built().sampleWeight(), sampleWeight);
        }
        for (Map.Entry<String, Tensor> e : noise.entrySet()) {
            feeds.put(g.built().noise().get(e.getKey()), e.getValue());
        }
        return execute(g, feeds, g.built().weights(), store, fetches, false, k -> false);
    }

    /**
     * Each distinct output of a run's fetches once (a {@code Result} rejects an output fetched
     * twice, and would leak its tensors), where each fetch's tensor is among them, and which of
     * them are kept as echoes.
     */
    private record Fetches(List<Output<?>> distinct, int[] index, boolean[] keep) {
        static Fetches of(List<Operand<?>> fetches, java.util.function.IntPredicate echoed) {
            List<Output<?>> distinct = new ArrayList<>(fetches.size());
            int[] index = new int[fetches.size()];
            for (int k = 0; k < fetches.size(); k++) {
                Output<?> o = fetches.get(k).asOutput();
                int at = distinct.indexOf(o);
                if (at < 0) {
                    at = distinct.size();
                    distinct.add(o);
                }
                index[k] = at;
            }
            boolean[] keep = new boolean[distinct.size()];
            for (int k = 0; k < index.length; k++) {
                keep[index[k]] |= echoed.test(k);
            }
            return new Fetches(distinct, index, keep);
        }

        /** The fetches' tensors in the order they were asked for, from the distinct ones'. */
        List<Tensor> inOrder(List<Tensor> copies) {
            List<Tensor> out = new ArrayList<>(index.length);
            for (int at : index) {
                out.add(copies.get(at));
            }
            return out;
        }
    }

    /**
     * Runs {@code g}'s session: the fed tensors, every weight in {@code weightInputs}, the distinct
     * fetches copied out; through the C API ({@link #executeNative}) where native runs are on, else
     * through {@code Session.Runner} ({@link #executeWithRunner}).
     *
     * @param callerThread whether the run executes on the calling thread, else in TensorFlow's
     *                     inter-op pool
     * @param echoed       which fetches (by index) are states to keep as echoes (native runs only)
     */
    private List<Tensor> execute(
            TfGraph g,
            Map<Operand<?>, Tensor> feeds,
            Map<String, Operand<?>> weightInputs,
            WeightStore store,
            List<Operand<?>> fetches,
            boolean callerThread,
            java.util.function.IntPredicate echoed) {
        if (nativeRuns) {
            return executeNative(
                    g, feeds, weightInputs, store, fetches, callerThread ? TfNativeRun.IN_CALLER_THREAD : null, echoed);
        }
        return executeWithRunner(
                g, feeds, weightInputs, store, fetches, callerThread ? TfNativeRun.CALLER_THREAD_OPTIONS : null);
    }

    /** {@link #execute} through {@code Session.Runner}, where native runs are off; it keeps no echoes. */
    private List<Tensor> executeWithRunner(
            TfGraph g,
            Map<Operand<?>, Tensor> feeds,
            Map<String, Operand<?>> weightInputs,
            WeightStore store,
            List<Operand<?>> fetches,
            RunOptions options) {
        TfWeights weights = acquireWeights(store);
        List<org.tensorflow.Tensor> fed = new ArrayList<>();
        try {
            Session.Runner runner = g.session().runner();
            if (profile != null) {
                runner.setOptions(TfOpProfile.traced(options));
            } else if (options != null) {
                runner.setOptions(options);
            }
            for (Map.Entry<Operand<?>, Tensor> e : feeds.entrySet()) {
                org.tensorflow.Tensor t = TfTensors.toTf(e.getValue());
                fed.add(t);
                runner.feed(e.getKey(), t);
            }
            for (Map.Entry<String, Operand<?>> e : weightInputs.entrySet()) {
                runner.feed(e.getValue(), weights.tensor(e.getKey()));
            }
            Fetches f = Fetches.of(fetches, k -> false);
            f.distinct().forEach(runner::fetch);
            try (Result result = profile != null ? runner.runAndFetchMetadata() : runner.run()) {
                if (profile != null) {
                    result.getMetadata().ifPresent(profile::add);
                }
                List<Tensor> copies = new ArrayList<>(f.distinct().size());
                for (int k = 0; k < f.distinct().size(); k++) {
                    copies.add(TfTensors.toApi(result.get(k)));
                }
                return f.inOrder(copies);
            }
        } catch (TensorFlowException | TFInvalidArgumentException | TFUnimplementedException e) {
            throw runFailed(g, e.getMessage(), e);
        } finally {
            for (org.tensorflow.Tensor t : fed) {
                t.close();
            }
            weights.release();
        }
    }

    /**
     * {@link #execute} through TensorFlow's C API ({@link TfNativeRun}). A fed tensor that a run
     * before handed out as a state goes in as its native original ({@link TfEchoes}); the fetches
     * {@code echoed} accepts (by index) are kept that way.
     *
     * @param options {@link TfNativeRun#IN_CALLER_THREAD} or null (the inter-op pool)
     */
    private List<Tensor> executeNative(
            TfGraph g,
            Map<Operand<?>, Tensor> feeds,
            Map<String, Operand<?>> weightInputs,
            WeightStore store,
            List<Operand<?>> fetches,
            TF_Buffer options,
            java.util.function.IntPredicate echoed) {
        Fetches f = Fetches.of(fetches, echoed);
        int n = f.distinct().size();
        List<TF_Tensor> fed = new ArrayList<>(feeds.size());
        TfNativeRun run;
        synchronized (idleRuns) {
            run = idleRuns.pollLast();
        }
        if (run == null) {
            run = new TfNativeRun();
        }
        TfWeights weights;
        try {
            weights = acquireWeights(store);
        } catch (RuntimeException | Error e) {
            returnRun(run);
            throw e;
        }
        try {
            run.start(feeds.size() + weightInputs.size(), n);
            for (Map.Entry<Operand<?>, Tensor> e : feeds.entrySet()) {
                TF_Tensor t = echoes.take(e.getValue());
                if (t == null) {
                    t = TfTensors.toNative(e.getValue());
                }
                fed.add(t);
                run.feed(e.getKey().asOutput(), t);
            }
            for (Map.Entry<String, Operand<?>> e : weightInputs.entrySet()) {
                run.feed(e.getValue().asOutput(), weights.handle(e.getKey()));
            }
            f.distinct().forEach(run::fetch);
            run.run(g.nativeSession(), options);
            TF_Tensor[] outputs = new TF_Tensor[n];
            try {
                for (int k = 0; k < n; k++) {
                    outputs[k] = TfTensors.received(run.output(k));
                }
                List<Tensor> copies = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    copies.add(TfTensors.fromNative(outputs[k]));
                }
                for (int k = 0; k < n; k++) {
                    if (f.keep()[k]) {
                        echoes.keep(copies.get(k), outputs[k]);
                        outputs[k] = null;
                    }
                }
                return f.inOrder(copies);
            } finally {
                for (TF_Tensor t : outputs) {
                    TfTensors.delete(t);
                }
            }
        } catch (TensorFlowException | TFInvalidArgumentException | TFUnimplementedException e) {
            throw runFailed(g, e.getMessage(), e);
        } finally {
            fed.forEach(TfTensors::delete);
            returnRun(run);
            weights.release();
        }
    }

    private void returnRun(TfNativeRun run) {
        synchronized (idleRuns) {
            idleRuns.addLast(run);
        }
    }

    private BackendException runFailed(TfGraph g, String message, Exception cause) {
        return new BackendException(
                "tf", "running the " + g.description() + " of model '" + spec.name() + "' failed: " + message, cause);
    }

    /** The native copy of the store's current version, retained for one call; the caller releases it. */
    private TfWeights acquireWeights(WeightStore store) {
        synchronized (weightsLock) {
            if (uploaded == null || !uploaded.isCopyOf(store)) {
                TfWeights fresh = TfWeights.upload(store, spec.weights());
                if (uploaded != null) {
                    uploaded.release();
                }
                uploaded = fresh;
            }
            uploaded.retain();
            return uploaded;
        }
    }
}
