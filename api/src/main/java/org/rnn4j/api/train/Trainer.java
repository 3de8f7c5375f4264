package org.rnn4j.api.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.sequence.TruncatedBptt;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * The training loop, once for every backend: batches and their order, dropout masks, optimizer
 * updates, metrics, validation and callbacks all happen here; the backend only runs
 * {@link Program#trainStep} and {@link Program#evaluate}. Shuffling and masks derive from
 * {@code (seed, epoch, batch)} alone, so a run resumed at an epoch boundary continues exactly as
 * an uninterrupted one.
 */
public final class Trainer {
    private final Program program;
    private final ModelSpec spec;
    private final WeightStore weights;
    private final Optimizer optimizer;

    public Trainer(Program program, ModelSpec spec, WeightStore weights, Optimizer optimizer) {
        this.program = program;
        this.spec = spec;
        this.weights = weights;
        this.optimizer = optimizer;
    }

    /**
     * Inputs and targets with the same number of samples, and optionally Keras's
     * {@code sample_weight}: one weight per sample ({@code [n]}), or per sample and step
     * ({@code [n, time]}) for sequence outputs.
     */
    public record Dataset(Tensor x, Tensor y, Tensor sampleWeight) {
        public Dataset {
            if (x.dim(0) != y.dim(0)) {
                throw new IllegalArgumentException(
                        "x has " + x.dim(0) + " samples but y has " + y.dim(0) + "; they must match");
            }
            if (x.dim(0) == 0) {
                throw new IllegalArgumentException("the dataset is empty; give at least one sample");
            }
            if (sampleWeight != null) {
                if (sampleWeight.rank() < 1 || sampleWeight.rank() > 2 || sampleWeight.dim(0) != x.dim(0)) {
                    throw new IllegalArgumentException("sample_weight has shape "
                            + java.util.Arrays.toString(sampleWeight.shape()) + " but x has " + x.dim(0)
                            + " samples; give [" + x.dim(0) + "] (one weight per sample) or [" + x.dim(0)
                            + ", time] (per step, for sequence outputs)");
                }
                if (sampleWeight.dtype() != org.rnn4j.api.tensor.DType.FLOAT32) {
                    throw new IllegalArgumentException("sample_weight must be float32, got "
                            + sampleWeight.dtype().jsonName());
                }
                float[] w = sampleWeight.floatView();
                for (int i = 0; i < w.length; i++) {
                    if (!Float.isFinite(w[i]) || w[i] < 0) {
                        throw new IllegalArgumentException("sample_weight holds " + w[i] + " at position " + i
                                + "; weights must be finite and >= 0");
                    }
                }
            }
        }

        /** Every sample weighing the same. */
        public Dataset(Tensor x, Tensor y) {
            this(x, y, null);
        }

        public int size() {
            return x.dim(0);
        }

        /** Splits off the last {@code fraction} of samples (before any shuffling, as Keras's validation_split). */
        public Dataset[] splitLast(double fraction) {
            int n = size();
            int cut = (int) Math.floor(n * (1 - fraction));
            if (cut <= 0 || cut >= n) {
                throw new IllegalArgumentException("validation_split " + fraction + " of " + n
                        + " samples leaves an empty part;" + " use more data or another split");
            }
            return new Dataset[] {
                new Dataset(x.sliceRows(0, cut), y.sliceRows(0, cut), rows(sampleWeight, 0, cut)),
                new Dataset(x.sliceRows(cut, n), y.sliceRows(cut, n), rows(sampleWeight, cut, n))
            };
        }

        private static Tensor rows(Tensor t, int from, int to) {
            return t == null ? null : t.sliceRows(from, to);
        }
    }

    /**
     * Trains from {@code initialEpoch} (0 for a fresh run) up to {@code options.epochs()}.
     *
     * @param history the history to extend (a resumed run's), or a new one
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
        int n = train.size();
        int batches = (n + options.batchSize() - 1) / options.batchSize();
        List<NoiseSpec> noise = ModelGraph.noiseSpecs(spec, timeSteps(train.x()));
        TruncatedBptt tbptt =
                options.tbptt() == null ? null : new TruncatedBptt(program, spec, weights, optimizer, options.tbptt());
        epochs:
        for (int epoch = initialEpoch; epoch < options.epochs() && !ctx.stop; epoch++) {
            long start = System.nanoTime();
            final int e = epoch;
            callbacks.forEach(c -> c.onEpochBegin(ctx, e));
            int[] order = order(n, options, epoch);
            MetricAccumulator acc =
                    new MetricAccumulator(spec.compile().loss(), spec.compile().metrics());
            for (int b = 0; b < batches; b++) {
                int from = b * options.batchSize();
                int to = Math.min(n, from + options.batchSize());
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                Tensor xb = train.x().gatherRows(idx);
                Tensor yb = train.y().gatherRows(idx);
                Tensor wb = train.sampleWeight() == null
                        ? null
                        : lossWeights(train.sampleWeight().gatherRows(idx), xb);
                Map<String, Tensor> masks = drawNoise(noise, idx.length, options.seed(), epoch, b);
                Program.StepResult r;
                if (tbptt != null) {
                    if (wb != null) {
                        throw new IllegalArgumentException("sample or class weights cannot be combined with truncated"
                                + " backpropagation through time (fit.tbptt); drop one of them");
                    }
                    // Segment by segment, each segment's update applied as it is trained.
                    r = tbptt.train(xb, lossTargets(yb), masks, epoch, b);
                } else {
                    r = program.trainStep(xb, lossTargets(yb), wb, weights, masks);
                    if (!Double.isFinite(r.loss())) {
                        final int bad = b;
                        if (callbacks.stream().anyMatch(c -> c.onNonFiniteLoss(ctx, e, bad, r.loss()))) {
                            // A callback (TerminateOnNaN) ends training here, before the bad update.
                            break epochs;
                        }
                        throw new TrainingDivergedException(epoch, b, r.loss());
                    }
                    optimizer.apply(weights, r.gradients());
                    updateMovingStatistics(r.batchStats());
                }
                acc.add(r.loss(), r.output(), yb);
                final int bb = b;
                callbacks.forEach(c -> c.onBatchEnd(ctx, e, bb, batches, r.loss()));
            }
            Map<String, Double> logs = new LinkedHashMap<>(acc.result(""));
            if (validation != null) {
                logs.putAll(evaluate(validation, options.batchSize(), "val_"));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            callbacks.forEach(c -> c.onEpochLogs(ctx, e, logs));
            ctx.history.record(logs, seconds);
            callbacks.forEach(c -> c.onEpochEnd(ctx, e, logs));
        }
        callbacks.forEach(c -> c.onTrainEnd(ctx, ctx.history));
        return ctx.history;
    }

    /** Loss and metrics in inference mode, batch by batch, keys prefixed (e.g. {@code val_}). */
    public Map<String, Double> evaluate(Dataset data, int batchSize, String prefix) {
        MetricAccumulator acc =
                new MetricAccumulator(spec.compile().loss(), spec.compile().metrics());
        int n = data.size();
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Tensor xb = data.x().sliceRows(from, to);
            Tensor yb = data.y().sliceRows(from, to);
            Tensor wb = data.sampleWeight() == null
                    ? null
                    : lossWeights(data.sampleWeight().sliceRows(from, to), xb);
            Program.Evaluation ev = program.evaluate(xb, lossTargets(yb), wb, weights);
            acc.add(ev.loss(), ev.output(), yb);
        }
        return acc.result(prefix);
    }

    /**
     * A batch's sample weights shaped as the loss's per-sample values: a weight per sample is
     * repeated over the steps of a sequence output, as Keras broadcasts it.
     */
    private Tensor lossWeights(Tensor w, Tensor xb) {
        List<Integer> per = ModelGraph.sampleWeightShape(spec, timeSteps(xb));
        int batch = w.dim(0);
        if (w.rank() == per.size() + 1) {
            for (int i = 0; i < per.size(); i++) {
                if (w.dim(i + 1) != per.get(i)) {
                    throw new IllegalArgumentException("sample_weight has shape "
                            + java.util.Arrays.toString(w.shape()) + " but the loss of model '" + spec.name()
                            + "' has one value per sample and step: [batch, " + per.get(0) + "]");
                }
            }
            return w;
        }
        if (w.rank() == 1 && per.size() == 1) {
            int steps = per.get(0);
            float[] src = w.floatView();
            float[] out = new float[batch * steps];
            for (int b = 0; b < batch; b++) {
                java.util.Arrays.fill(out, b * steps, (b + 1) * steps, src[b]);
            }
            return Tensor.wrap(out, batch, steps);
        }
        throw new IllegalArgumentException("sample_weight has shape " + java.util.Arrays.toString(w.shape())
                + " but model '" + spec.name() + "' has one loss value per sample; give one weight per sample");
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

    /** The sample order of one epoch: a seeded Fisher-Yates shuffle, or 0..n-1. */
    public static int[] order(int n, FitOptions options, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (options.shuffle()) {
            SplittableRandom rng = new SplittableRandom(mix(options.seed(), 0x5DEECE66DL, epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
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
        SplittableRandom rng = new SplittableRandom(mix(seed, epoch, b));
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

    private static long mix(long seed, long a, long b) {
        long h = seed * 0x9E3779B97F4A7C15L + a;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + b;
        return h ^ (h >>> 29);
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
