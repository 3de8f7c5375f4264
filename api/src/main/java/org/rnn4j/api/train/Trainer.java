package org.rnn4j.api.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.BatchIterator;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.data.EpochPlan;
import org.rnn4j.api.data.Prefetch;
import org.rnn4j.api.data.SampleOrder;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * The training loop, once for every backend: it takes batches from a {@link Dataset} in the order
 * of each epoch's {@link EpochPlan} (prefetched on a background thread), draws dropout masks,
 * applies optimizer updates, and keeps metrics, validation and callbacks; the backend only runs
 * {@link Program#trainStep} and {@link Program#evaluate}. Batch order and masks derive from
 * {@code (seed, epoch, batch)} alone, so a run resumed at an epoch boundary continues exactly as
 * an uninterrupted one.
 */
public final class Trainer {
    private final Program program;
    private final ModelSpec spec;
    private final WeightStore weights;
    private final Optimizer optimizer;
    private List<NoiseSpec> noise;
    private int noiseTimeSteps = -1;

    public Trainer(Program program, ModelSpec spec, WeightStore weights, Optimizer optimizer) {
        this.program = program;
        this.spec = spec;
        this.weights = weights;
        this.optimizer = optimizer;
    }

    /**
     * Trains from {@code initialEpoch} (0 for a fresh run) up to {@code options.epochs()}.
     *
     * @param validation evaluated after every epoch, or {@code null}
     * @param history    the history to extend (a resumed run's), or a new one
     */
    public History fit(
            Dataset train,
            Dataset validation,
            FitOptions options,
            List<Callback> callbacks,
            int initialEpoch,
            History history) {
        Context ctx = new Context(options.epochs(), history);
        callbacks.forEach(c -> c.onTrainBegin(ctx));
        int batches = train.sampleCount().isPresent()
                ? Math.toIntExact(EpochPlan.training(options, 0)
                        .batchCount(train.sampleCount().getAsLong()))
                : -1;
        TruncatedBptt tbptt =
                options.tbptt() == null ? null : new TruncatedBptt(program, spec, weights, optimizer, options.tbptt());
        epochs:
        for (int epoch = initialEpoch; epoch < options.epochs() && !ctx.stop; epoch++) {
            long start = System.nanoTime();
            final int e = epoch;
            callbacks.forEach(c -> c.onEpochBegin(ctx, e));
            Waited waited = new Waited();
            MetricAccumulator acc =
                    new MetricAccumulator(spec.compile().loss(), spec.compile().metrics());
            try (BatchIterator it = Prefetch.of(train, EpochPlan.training(options, epoch), options.prefetch())) {
                for (int b = 0; waited.hasNext(it); b++) {
                    Batch batch = waited.next(it);
                    Program.StepResult r = trainBatch(batch, options.seed(), epoch, b, tbptt);
                    if (!Double.isFinite(r.loss())) {
                        final int bad = b;
                        if (callbacks.stream().anyMatch(c -> c.onNonFiniteLoss(ctx, e, bad, r.loss()))) {
                            // A callback (TerminateOnNaN) ends training here, before the bad update.
                            break epochs;
                        }
                        throw new TrainingDivergedException(epoch, b, r.loss());
                    }
                    acc.add(r.loss(), r.output(), batch.y());
                    final int bb = b;
                    callbacks.forEach(c -> c.onBatchEnd(ctx, e, bb, batches, r.loss()));
                }
            }
            if (acc.isEmpty()) {
                throw new IllegalArgumentException("the training data gave no batches in epoch " + (epoch + 1));
            }
            Map<String, Double> logs = new LinkedHashMap<>(acc.result(""));
            if (validation != null) {
                logs.putAll(evaluate(validation, options.batchSize(), options.prefetch(), "val_", waited));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            callbacks.forEach(c -> c.onEpochLogs(ctx, e, logs));
            ctx.history.record(logs, seconds, waited.nanos / 1e9);
            callbacks.forEach(c -> c.onEpochEnd(ctx, e, logs));
        }
        callbacks.forEach(c -> c.onTrainEnd(ctx, ctx.history));
        return ctx.history;
    }

    /**
     * One optimizer step on one batch: dropout masks from {@code (seed, epoch, batch)}, the
     * batch's sample weights broadcast to the loss's shape, the engine's forward and backward pass,
     * the update, BatchNormalization's moving statistics. With {@code tbptt} the batch is trained
     * segment by segment instead, each segment's update applied as it is trained.
     *
     * @return the step; when its loss is not finite nothing was applied (the weights are as before
     *         this batch) and the caller decides between TerminateOnNaN and a
     *         {@link TrainingDivergedException}
     */
    Program.StepResult trainBatch(Batch batch, long seed, int epoch, int b, TruncatedBptt tbptt) {
        if (!batch.hasTargets()) {
            throw new IllegalArgumentException("training batch " + (b + 1) + " of epoch " + (epoch + 1)
                    + " has no targets; fit needs (x, y) batches");
        }
        Tensor wb = batch.sampleWeight() == null ? null : lossWeights(batch.sampleWeight(), batch.x());
        Map<String, Tensor> masks = drawNoise(noiseSpecs(batch.x()), batch.size(), seed, epoch, b);
        if (tbptt != null) {
            if (wb != null) {
                throw new IllegalArgumentException("sample or class weights cannot be combined with truncated"
                        + " backpropagation through time (fit.tbptt); drop one of them");
            }
            return tbptt.train(batch.x(), lossTargets(batch.y()), masks, epoch, b);
        }
        Program.StepResult r = program.trainStep(batch.x(), lossTargets(batch.y()), wb, weights, masks);
        if (!Double.isFinite(r.loss())) {
            return r;
        }
        optimizer.apply(weights, r.gradients());
        updateMovingStatistics(r.batchStats());
        return r;
    }

    /** Loss and metrics in inference mode, batch by batch in dataset order, keys prefixed (e.g. {@code val_}). */
    public Map<String, Double> evaluate(Dataset data, int batchSize, int prefetch, String prefix) {
        return evaluate(data, batchSize, prefetch, prefix, new Waited());
    }

    private Map<String, Double> evaluate(Dataset data, int batchSize, int prefetch, String prefix, Waited waited) {
        MetricAccumulator acc =
                new MetricAccumulator(spec.compile().loss(), spec.compile().metrics());
        try (BatchIterator it = Prefetch.of(data, EpochPlan.inOrder(batchSize), prefetch)) {
            while (waited.hasNext(it)) {
                Batch batch = waited.next(it);
                if (!batch.hasTargets()) {
                    throw new IllegalArgumentException("evaluation needs (x, y) batches; the data has no targets");
                }
                Tensor wb = batch.sampleWeight() == null ? null : lossWeights(batch.sampleWeight(), batch.x());
                Program.Evaluation ev = program.evaluate(batch.x(), lossTargets(batch.y()), wb, weights);
                acc.add(ev.loss(), ev.output(), batch.y());
            }
        }
        if (acc.isEmpty()) {
            throw new IllegalArgumentException("the " + (prefix.isEmpty() ? "" : prefix + " ") + "data has no samples");
        }
        return acc.result(prefix);
    }

    private Tensor lossWeights(Tensor w, Tensor xb) {
        return SampleWeights.forLoss(spec, w, timeSteps(xb));
    }

    /** The targets as the loss reads them: Keras's hinge losses turn an all-0/1 batch into -1/1. */
    private Tensor lossTargets(Tensor y) {
        if (!spec.compile().loss().convertsBinaryLabels()) {
            return y;
        }
        return Tensor.wrap(org.rnn4j.api.compile.Loss.hingeTargets(y.floatView()), y.shape());
    }

    static int timeSteps(Tensor x) {
        return x.rank() >= 2 ? x.dim(1) : 1;
    }

    /** The time the loop spends waiting for its next batch. */
    private static final class Waited {
        long nanos;

        boolean hasNext(BatchIterator it) {
            long t = System.nanoTime();
            boolean more = it.hasNext();
            nanos += System.nanoTime() - t;
            return more;
        }

        Batch next(BatchIterator it) {
            long t = System.nanoTime();
            Batch b = it.next();
            nanos += System.nanoTime() - t;
            return b;
        }
    }

    /** The sample order of one epoch: the project's one shuffle ({@link SampleOrder}), as an array. */
    public static int[] order(int n, FitOptions options, int epoch) {
        return SampleOrder.permutation(n, EpochPlan.training(options, epoch)).slice(0, n);
    }

    private List<NoiseSpec> noiseSpecs(Tensor x) {
        int steps = x.rank() >= 2 ? x.dim(1) : 1;
        if (steps != noiseTimeSteps) {
            noise = ModelGraph.noiseSpecs(spec, steps);
            noiseTimeSteps = steps;
        }
        return noise;
    }

    /**
     * The dropout masks of batch {@code b} of {@code epoch}: drawn from {@code (seed, epoch, b)} alone,
     * {@code batch} rows each. Public so that data-parallel training (the spark module) slices the
     * very masks of a global batch for its workers.
     */
    public static Map<String, Tensor> drawNoise(List<NoiseSpec> specs, int batch, long seed, int epoch, int b) {
        if (specs.isEmpty()) {
            return Map.of();
        }
        SplittableRandom rng = new SplittableRandom(SampleOrder.mix(seed, epoch, b));
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (NoiseSpec s : specs) {
            int[] shape = s.shapeWithBatch(batch);
            float[] mask = new float[Math.toIntExact(Tensor.size(shape))];
            float keep = (float) (1 / (1 - s.rate()));
            for (int i = 0; i < mask.length; i++) {
                mask[i] = rng.nextDouble() < s.rate() ? 0f : keep;
            }
            out.put(s.name(), Tensor.wrap(mask, shape));
        }
        return out;
    }

    private void updateMovingStatistics(Map<String, Tensor> stats) {
        if (stats.isEmpty()) {
            return;
        }
        for (var e : stats.entrySet()) {
            String layer = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
            double momentum = spec.layerInfos().stream()
                    .filter(i -> i.name().equals(layer))
                    .findFirst()
                    .map(i -> ((org.rnn4j.api.layers.BatchNormalizationSpec) i.layer()).momentum())
                    .orElseThrow();
            float mom = (float) momentum;
            float[] moving = weights.array(e.getKey());
            float[] batch = e.getValue().floatView();
            for (int i = 0; i < moving.length; i++) {
                moving[i] = moving[i] * mom + batch[i] * (1f - mom);
            }
        }
        weights.touch();
    }

    private final class Context implements TrainingContext {
        private final int epochs;
        private final History history;
        private boolean stop;

        Context(int epochs, History history) {
            this.epochs = epochs;
            this.history = history;
        }

        @Override
        public ModelSpec spec() {
            return spec;
        }

        @Override
        public WeightStore weights() {
            return weights;
        }

        @Override
        public Optimizer optimizer() {
            return optimizer;
        }

        @Override
        public History history() {
            return history;
        }

        @Override
        public int epochs() {
            return epochs;
        }

        @Override
        public void stopTraining() {
            stop = true;
        }
    }
}
