package org.rnn4j.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.Capability;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.ProgramContract;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.data.BatchIterator;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.data.EpochPlan;
import org.rnn4j.api.data.IndexedDataset;
import org.rnn4j.api.data.MemoryBudget;
import org.rnn4j.api.data.Prefetch;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.SequencePlan;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.io.ResourceLimits;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.History;
import org.rnn4j.api.train.Optimizer;
import org.rnn4j.api.train.SampleWeights;
import org.rnn4j.api.train.Trainer;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.api.weights.WeightStore;

/**
 * A compiled model on one backend: Keras's {@code fit} / {@code evaluate} / {@code predict} with
 * weights by Keras name. Inputs are batch-major: {@code [batch, time, features]} floats or int
 * token ids {@code [batch, time]}.
 *
 * <pre>{@code
 * try (Backend backend = Rnn4j.backend("tf"); Model model = Model.create(spec, backend)) {
 *     History h = model.fit(x, y, spec.fit().withEpochs(5));
 *     Tensor next = model.predict(xTest);
 * }
 * }</pre>
 *
 * <p>{@code predict} is safe from many threads; {@code fit} and weight changes must not overlap
 * other calls.
 */
public final class Model implements AutoCloseable {
    private final ModelSpec spec;
    private final ProgramContract contract;
    private final Backend backend;
    private final Program program;
    private final WeightStore weights;
    private final Optimizer optimizer;
    private final History history = new History();
    private final boolean concurrentPredict;
    private volatile boolean closed;

    private Model(ModelSpec spec, Backend backend, WeightStore weights) {
        ResourceLimits.check(spec);
        this.spec = spec;
        this.contract = new ProgramContract(spec);
        this.backend = backend;
        this.weights = weights;
        this.optimizer = new Optimizer(spec.compile().optimizer());
        this.program = backend.compile(spec);
        this.concurrentPredict = backend.capabilities().contains(Capability.CONCURRENT_PREDICT);
    }

    /** A new model with weights drawn from {@code spec.fit().seed()}. */
    public static Model create(ModelSpec spec, Backend backend) {
        return create(spec, backend, spec.fit().seed());
    }

    /** A new model with weights drawn from {@code seed} (in the api: every backend gets the same numbers). */
    public static Model create(ModelSpec spec, Backend backend, long seed) {
        ResourceLimits.check(spec);
        return new Model(spec, backend, WeightInitializer.initialized(spec.weights(), seed));
    }

    /** A model with the given weights (every weight of the spec, Keras names and layout). */
    public static Model withWeights(ModelSpec spec, Backend backend, Map<String, Tensor> weights) {
        ResourceLimits.check(spec);
        WeightStore store = new WeightStore(spec.weights());
        store.setAll(weights);
        return new Model(spec, backend, store);
    }

    /** Loads a saved rnn4j model, a TensorFlow.js model.json, or a spec (then with fresh weights). */
    public static Model load(Path path, Backend backend) throws IOException {
        LoadedModel loaded = ModelFiles.load(path);
        return loaded.hasWeights()
                ? withWeights(loaded.spec(), backend, loaded.weights())
                : create(loaded.spec(), backend);
    }

    public ModelSpec spec() {
        return spec;
    }

    public Backend backend() {
        return backend;
    }

    public String summary() {
        return spec.summary();
    }

    /** Trains with {@code spec.fit()}'s settings. */
    public History fit(Tensor x, Tensor y) {
        return fit(x, y, spec.fit());
    }

    /** Trains; {@code options.validationSplit()} holds out the last fraction of the samples. */
    public History fit(Tensor x, Tensor y, FitOptions options, Callback... callbacks) {
        if (options.validationSplit() > 0) {
            checkInput(x, "x"); // the whole x, so a message's position is that of x, not of a split part
        }
        return fit(TensorDataset.of(x, y), null, options, List.of(callbacks));
    }

    /**
     * Trains with Keras's {@code sample_weight}: one weight per sample ({@code [n]}) or, for sequence
     * outputs, per sample and step ({@code [n, time]}); a validation split takes its share of them.
     */
    public History fit(Tensor x, Tensor y, Tensor sampleWeight, FitOptions options, Callback... callbacks) {
        if (options.validationSplit() > 0) {
            checkInput(x, "x"); // the whole x, so a message's position is that of x, not of a split part
        }
        return fit(TensorDataset.of(x, y, sampleWeight), null, options, List.of(callbacks));
    }

    /** Trains with explicit validation data. */
    public History fit(
            Tensor x, Tensor y, Tensor validationX, Tensor validationY, FitOptions options, Callback... callbacks) {
        return fit(TensorDataset.of(x, y), TensorDataset.of(validationX, validationY), options, List.of(callbacks));
    }

    /**
     * Trains on datasets: in-memory tensors ({@link TensorDataset}) or data streamed batch by batch
     * (the data module's windows over memory-mapped series and texts). The next batches are made
     * on a background thread ({@link FitOptions#prefetch()}) while the engine computes, except
     * those of a dataset {@link Dataset#inMemory() in memory}, which are gathered on the training
     * thread; the seconds the loop still waited for data go into the history. Without validation data,
     * {@code options.validationSplit()} holds out the last fraction of an {@link IndexedDataset}.
     *
     * @param validation evaluated after every epoch, or {@code null}
     */
    public History fit(Dataset train, Dataset validation, FitOptions options, Callback... callbacks) {
        return fit(train, validation, options, List.of(callbacks));
    }

    /** Trains, continuing this model's history and optimizer state. */
    public synchronized History fit(Dataset train, Dataset validation, FitOptions options, List<Callback> callbacks) {
        return fitFrom(train, validation, options, callbacks, 0);
    }

    /** Trains from {@code initialEpoch} (resuming a checkpoint saved at the end of epoch {@code initialEpoch - 1}). */
    public synchronized History fitFrom(
            Dataset train, Dataset validation, FitOptions options, List<Callback> callbacks, int initialEpoch) {
        ensureOpen();
        checkTrainable();
        Dataset trainPart = train;
        Dataset validationPart = validation;
        if (validation == null && options.validationSplit() > 0) {
            if (!(train instanceof IndexedDataset indexed)) {
                throw new IllegalArgumentException("validation_split needs data of known size; this dataset's size is"
                        + " not known ahead, so pass validation data instead");
            }
            IndexedDataset[] parts = indexed.splitLast(options.validationSplit());
            trainPart = parts[0];
            validationPart = parts[1];
        }
        // As Keras: class weights weigh the training samples only, not the validation data.
        trainPart = withClassWeights(checked(trainPart, "training", true), options.classWeight());
        if (validationPart != null) {
            validationPart = checked(validationPart, "validation", true);
        }
        new Trainer(program, spec, weights, optimizer)
                .fit(trainPart, validationPart, options, new ArrayList<>(callbacks), initialEpoch, history);
        return history;
    }

    /** Loss and metrics in inference mode, with Keras's names ({@code loss}, {@code mae}, ...). */
    public Map<String, Double> evaluate(Tensor x, Tensor y) {
        return evaluate(x, y, spec.fit().batchSize());
    }

    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
        return evaluate(x, y, null, batchSize);
    }

    /** Loss (weighted per sample, as Keras's {@code sample_weight}) and metrics in inference mode. */
    public Map<String, Double> evaluate(Tensor x, Tensor y, Tensor sampleWeight, int batchSize) {
        return evaluate(TensorDataset.of(x, y, sampleWeight), batchSize);
    }

    /** Loss and metrics of a dataset, batch by batch (any size: batches are streamed, and prefetched unless in memory). */
    public Map<String, Double> evaluate(Dataset data) {
        return evaluate(data, spec.fit().batchSize());
    }

    public Map<String, Double> evaluate(Dataset data, int batchSize) {
        ensureOpen();
        return new Trainer(program, spec, weights, optimizer)
                .evaluate(checked(data, "evaluation", true), batchSize, FitOptions.DEFAULT_PREFETCH, "");
    }

    /** The output in inference mode: {@code [batch, units]} or {@code [batch, time, units]}. */
    public Tensor predict(Tensor x) {
        ensureOpen();
        checkInput(x, "input");
        return run(x);
    }

    /**
     * The outputs of a whole dataset as one tensor, in dataset order. Refused before anything runs
     * when the outputs would not fit the heap; {@link #predict(Dataset, int, Consumer)} streams them.
     */
    public Tensor predict(Dataset data, int batchSize) {
        long n = data.sampleCount()
                .orElseThrow(() -> new IllegalArgumentException("predicting a dataset of unknown size into one tensor"
                        + " is not possible; use predict(data, batchSize, outputs) to stream the outputs"));
        long perSample = 1;
        for (int d : spec.outputShape()) {
            perSample *= Math.max(1, d);
        }
        long values = n * perSample;
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the outputs of " + n + " samples (" + values + " values) do not fit one"
                    + " tensor; use predict(data, batchSize, outputs) to stream them");
        }
        MemoryBudget.require(
                4 * values,
                "the predictions of " + n + " samples",
                "stream them with predict(data, batchSize, outputs) or raise the heap (-Xmx)");
        float[] out = new float[(int) values];
        int[] shape = new int[1 + spec.outputShape().size()];
        int[] at = {0};
        predict(data, batchSize, o -> {
            float[] f = o.floatView();
            if (at[0] + f.length > out.length) {
                throw new IllegalStateException("the dataset gave more samples than its size " + n);
            }
            System.arraycopy(f, 0, out, at[0], f.length);
            at[0] += f.length;
            System.arraycopy(o.shape(), 1, shape, 1, shape.length - 1);
        });
        if (at[0] != out.length) {
            throw new IllegalStateException("the dataset gave " + at[0] / perSample + " samples, not its size " + n);
        }
        shape[0] = Math.toIntExact(n);
        return Tensor.wrap(out, shape);
    }

    /**
     * Streams the outputs of a dataset, one tensor per batch of {@code batchSize} in dataset order,
     * to {@code outputs}: any number of samples in bounded memory. Targets, if the dataset has
     * them, are ignored.
     */
    public void predict(Dataset data, int batchSize, Consumer<Tensor> outputs) {
        ensureOpen();
        try (BatchIterator it = Prefetch.of(
                checked(data, "prediction", false), EpochPlan.inOrder(batchSize), FitOptions.DEFAULT_PREFETCH)) {
            while (it.hasNext()) {
                outputs.accept(run(it.next().x()));
            }
        }
    }

    private Tensor run(Tensor x) {
        if (concurrentPredict) {
            return program.predict(x, weights);
        }
        synchronized (this) {
            return program.predict(x, weights);
        }
    }

    /**
     * A stream over {@code batch} sequences that keeps the recurrent state between calls, for
     * step-by-step inference (Keras {@code stateful=True}, DL4J {@code rnnTimeStep}).
     *
     * @throws IllegalArgumentException when the model reads time backwards (go_backwards,
     *                                  Bidirectional) or has no recurrent layer
     */
    public Stream stream(int batch) {
        ensureOpen();
        SequencePlan plan = SequencePlan.of(spec, ModelGraph.Mode.INFERENCE)
                .orElseThrow(() -> new IllegalArgumentException("model '" + spec.name()
                        + "' cannot run step by step: "
                        + SequencePlan.whyNot(spec, ModelGraph.Mode.INFERENCE).orElse("")));
        if (!plan.streamable()) {
            throw new IllegalArgumentException("model '" + spec.name() + "' cannot run step by step: a "
                    + "Bidirectional or go_backwards layer reads each sequence from its end");
        }
        return new Stream(this, batch);
    }

    /**
     * The output over the last {@code window} steps of a growing sequence, one step at a time: what
     * {@link #predict} gives on each window, at the cost of one step (see {@link WindowedStream}).
     */
    public WindowedStream windowedStream(int window) {
        return new WindowedStream(this, window);
    }

    /**
     * {@link #predict} for a caller that slides one window a step at a time: only each new step
     * runs (see {@link SlidingWindowPredictor}); it returns the output of the window's last step.
     */
    public SlidingWindowPredictor slidingWindowPredictor() {
        ensureOpen();
        return new SlidingWindowPredictor(this);
    }

    Program program() {
        return program;
    }

    /** {@link #checkInput} for a stream's steps: any number of steps, whatever length the model declares. */
    void checkStepInput(Tensor x) {
        checkInput(x, "stream input", true);
    }

    /**
     * The output with dropout active, as in training (Monte-Carlo dropout, Gal and Ghahramani
     * 2016): every Dropout layer and recurrent layer dropout applies masks drawn from {@code seed}
     * (one stream per call, the same on every engine); nothing else differs from {@link #predict}.
     * Repeated calls with different seeds sample the model's uncertainty. Runs the training graph
     * (its gradients are computed and discarded); a model with BatchNormalization is refused, since
     * its training mode would normalise by the batch of samples.
     *
     * @return {@code [batch, units]} as {@link #predict}; without dropout exactly its output
     */
    public Tensor predictWithDropout(Tensor x, long seed) {
        ensureOpen();
        checkInput(x, "input");
        if (spec.layers().stream().anyMatch(l -> l instanceof org.rnn4j.api.layers.BatchNormalizationSpec)) {
            throw new IllegalArgumentException("Monte-Carlo dropout runs the training graph, where BatchNormalization"
                    + " normalises by the batch; " + spec.name() + " has BatchNormalization, so its dropout samples"
                    + " would mean something else");
        }
        int batch = x.dim(0);
        List<org.rnn4j.api.graph.NoiseSpec> noise =
                org.rnn4j.api.graph.ModelGraph.noiseSpecs(spec, x.rank() >= 2 ? x.dim(1) : 1);
        if (noise.isEmpty()) {
            return predict(x);
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        Map<String, Tensor> masks = new java.util.LinkedHashMap<>();
        for (org.rnn4j.api.graph.NoiseSpec n : noise) {
            int[] shape = n.shapeWithBatch(batch);
            float[] mask = new float[Math.toIntExact(Tensor.size(shape))];
            float keep = (float) (1 / (1 - n.rate()));
            for (int i = 0; i < mask.length; i++) {
                mask[i] = rng.nextDouble() < n.rate() ? 0f : keep;
            }
            masks.put(n.name(), Tensor.wrap(mask, shape));
        }
        List<Integer> out = spec.outputShape();
        int[] targetShape = new int[out.size() + (spec.compile().loss().sparseTargets() ? 0 : 1)];
        targetShape[0] = batch;
        for (int i = 1; i < targetShape.length; i++) {
            targetShape[i] = out.get(i - 1);
        }
        Tensor target = spec.compile().loss().sparseTargets()
                ? Tensor.wrapInts(new int[Math.toIntExact(Tensor.size(targetShape))], targetShape)
                : Tensor.wrap(new float[Math.toIntExact(Tensor.size(targetShape))], targetShape);
        synchronized (this) {
            return program.trainStep(x, target, weights, masks).output();
        }
    }

    /** Whether {@link #predictWithDropout} samples anything: the model has dropout somewhere. */
    public boolean hasDropout() {
        return !org.rnn4j.api.graph.ModelGraph.noiseSpecs(
                        spec, Math.max(1, spec.inputShape().get(0)))
                .isEmpty();
    }

    /**
     * The dataset with the model's input checks: in-memory tensors are checked once, here, before
     * anything runs; other batches one by one as they are made (on the prefetch thread, or on the
     * training thread for a dataset {@link Dataset#inMemory() in memory}: the checks are the model's
     * own and cheap, so the wrapper keeps that answer).
     */
    private Dataset checked(Dataset data, String role, boolean targets) {
        if (data instanceof TensorDataset t) {
            checkInput(t.x(), role.equals("validation") ? "validation x" : "x");
            if (targets && t.y() != null) {
                checkTargets(t.y());
            }
            if (targets && t.sampleWeight() != null) {
                checkSampleWeights();
            }
            return data;
        }
        return data.map(
                b -> {
                    checkInput(b.x(), "a " + role + " batch's x");
                    if (targets && b.y() != null) {
                        checkTargets(b.y());
                    }
                    if (targets && b.sampleWeight() != null) {
                        checkSampleWeights();
                    }
                    return b;
                },
                true);
    }

    private void checkSampleWeights() {
        if (!backend.capabilities().contains(Capability.SAMPLE_WEIGHTS)) {
            throw new IllegalArgumentException("backend " + backend.id()
                    + " cannot weight samples (no SAMPLE_WEIGHTS capability); train without sample or class weights");
        }
    }

    /**
     * Keras's {@code class_weight} as sample weights of the training data: computed once for
     * in-memory tensors, batch by batch (as the batches are made) for other data. The weights are
     * gathered with the same rows as x and y, so the batches and their order do not change.
     */
    private Dataset withClassWeights(Dataset train, Map<Integer, Double> classWeight) {
        if (classWeight.isEmpty()) {
            return train;
        }
        checkSampleWeights();
        String both = "class_weight and sample_weight cannot both be given (as in Keras); fold the class weights"
                + " into the sample weights";
        if (train instanceof TensorDataset t) {
            if (t.sampleWeight() != null) {
                throw new IllegalArgumentException(both);
            }
            return t.withSampleWeight(SampleWeights.fromClassWeight(t.y(), classWeight));
        }
        return train.map(
                b -> {
                    if (b.sampleWeight() != null) {
                        throw new IllegalArgumentException(both);
                    }
                    return b.hasTargets() ? b.withSampleWeight(SampleWeights.fromClassWeight(b.y(), classWeight)) : b;
                },
                true);
    }

    /** Copies of every weight by Keras name, in Keras order. */
    public Map<String, Tensor> weights() {
        return weights.snapshot();
    }

    public Tensor weight(String name) {
        return weights.get(name);
    }

    public synchronized void setWeights(Map<String, Tensor> values) {
        weights.setAll(values);
    }

    /** The live weight store (for callbacks, checkpoints and engines). */
    public WeightStore weightStore() {
        return weights;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Every epoch trained so far. */
    public History history() {
        return history;
    }

    /** Saves atomically as a TensorFlow.js layers-model plus {@code rnn4j.json}. */
    public void save(Path dir) throws IOException {
        save(dir, null);
    }

    public synchronized void save(Path dir, ObjectNode extras) throws IOException {
        ModelFiles.save(dir, spec, weights.snapshot(), extras);
    }

    /** Checks an input against the model's declared input before any engine sees it. */
    public void checkInput(Tensor x, String what) {
        checkInput(x, what, false);
    }

    private void checkInput(Tensor x, String what, boolean anyLength) {
        contract.input(x, what, anyLength);
        if (!x.isFinite()) {
            throw new IllegalArgumentException(what + " contains NaN or infinite values; clean the data first");
        }
    }

    /** Refuses to train a model whose file asked for training settings rnn4j cannot honour. */
    private void checkTrainable() {
        List<String> issues = spec.trainingIssues();
        if (!issues.isEmpty()) {
            throw new IllegalArgumentException("model " + spec.name()
                    + " cannot be trained as its file describes: " + issues.get(0)
                    + (issues.size() > 1 ? " (and " + (issues.size() - 1) + " more)" : "")
                    + "; compile it again with a loss and an optimizer rnn4j has"
                    + " (ModelSpec.withCompile, or --loss and --optimizer on the command line)");
        }
    }

    private void checkTargets(Tensor y) {
        contract.classIds(y, "target");
        if (!y.isFinite()) {
            throw new IllegalArgumentException("the targets contain NaN or infinite values; clean the data first");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("model " + spec.name() + " is closed");
        }
    }

    /** Closes the compiled program; the backend stays open (it may serve other models). */
    @Override
    public void close() {
        closed = true;
        program.close();
    }
}
