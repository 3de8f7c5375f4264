package org.rnn4j.spark.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.rnn4j.api.Model;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.data.EpochPlan;
import org.rnn4j.api.data.SampleOrder;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.layers.BatchNormalizationSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.History;
import org.rnn4j.api.train.MetricAccumulator;
import org.rnn4j.api.train.Optimizer;
import org.rnn4j.api.train.Trainer;
import org.rnn4j.api.train.TrainingContext;
import org.rnn4j.api.train.TrainingDivergedException;
import org.rnn4j.api.weights.WeightStore;

/**
 * Trains a {@link Model} data-parallel on Spark. The driver keeps what the api keeps on one
 * machine: the weights, the batch order (the training dataset's {@link SampleOrder}), the dropout masks' seed, the
 * optimizer and the history, in the driver's {@link Model}. Each step it sends the weights and the
 * global batch's sample indices to every partition; each partition computes the gradient of its
 * share of the batch on its executor's engine ({@link StepRunner}); the shares, weighted by their
 * sample counts, sum to the gradient of the mean loss over the global batch; the api's optimizer
 * applies it once, on the driver.
 *
 * <p><b>Exactness</b> (local steps = 1): with any number of partitions, a step equals the
 * single-machine step on the same global batch up to float32 summation order, so a run equals
 * {@code Model.fit} with the same seed and batch size. BatchNormalization normalises by the
 * statistics of the whole batch, which no partition sees; such models are refused in exact mode.
 *
 * <p><b>Faults</b>: tasks are deterministic and the driver holds all state between steps, so a
 * task that Spark runs again (its executor was lost) returns the same numbers; a block-manager
 * step whose gradient blocks were lost is run again as a whole.
 */
public final class SparkTrainer {
    private final JavaSparkContext sc;
    private final Model model;
    private final String backend;
    private final DistributedOptions options;
    private final String specJson;
    private final List<WeightSpec> trainable;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final StepTimes times = new StepTimes();
    private long steps;

    /**
     * @param model   the driver's model: its weights, optimizer and history are the run's
     * @param backend the engine the executors run ({@code tf}, {@code dl4j})
     */
    public SparkTrainer(JavaSparkContext sc, Model model, String backend, DistributedOptions options) {
        this.sc = sc;
        this.model = model;
        this.backend = backend;
        this.options = options;
        ModelSpec spec = model.spec();
        if (options.exactSteps()
                && spec.layerInfos().stream().anyMatch(i -> i.layer() instanceof BatchNormalizationSpec)) {
            throw new IllegalArgumentException("model " + spec.name() + " has BatchNormalization, whose batch"
                    + " statistics no partition sees in exact data-parallel training; train it on one machine"
                    + " or with periodic averaging (--local-steps K)");
        }
        this.specJson = SpecJson.write(spec);
        this.trainable = FlatWeights.trainable(spec.weights());
    }

    /** Time per step, split: the run's measurements so far. */
    public StepTimes times() {
        return times;
    }

    /**
     * Trains from {@code initialEpoch} up to {@code fit.epochs()}, as {@link Trainer#fit} does.
     *
     * @param validation evaluated on the driver after each epoch, or {@code null}
     */
    public History fit(
            TrainingData train, Dataset validation, FitOptions fit, List<Callback> callbacks, int initialEpoch) {
        ModelSpec spec = model.spec();
        // class_weight rides with each step to the executors, which weigh their share's losses by class.
        java.util.TreeMap<Integer, Double> classWeight = new java.util.TreeMap<>(fit.classWeight());
        if (validation instanceof org.rnn4j.api.data.TensorDataset t && t.sampleWeight() != null) {
            throw new IllegalArgumentException("the validation data has sample weights, which training on Spark does"
                    + " not apply yet; train on one machine or drop them");
        }
        Context ctx = new Context(spec, fit.epochs());
        callbacks.forEach(c -> c.onTrainBegin(ctx));
        int n = train.size();
        int batches = (n + fit.batchSize() - 1) / fit.batchSize();
        epochs:
        for (int epoch = initialEpoch; epoch < fit.epochs() && !ctx.stop; epoch++) {
            long start = System.nanoTime();
            final int e = epoch;
            callbacks.forEach(c -> c.onEpochBegin(ctx, e));
            SampleOrder order = train.order(EpochPlan.training(fit, epoch));
            MetricAccumulator acc =
                    new MetricAccumulator(spec.compile().loss(), spec.compile().metrics());
            int stepSize = options.localSteps();
            for (int b = 0; b < batches; b += stepSize) {
                List<int[]> round = new ArrayList<>();
                for (int k = b; k < Math.min(batches, b + stepSize); k++) {
                    int from = k * fit.batchSize();
                    round.add(order.slice(from, Math.min(n, from + fit.batchSize()) - from));
                }
                if (options.exactSteps()) {
                    int[] idx = round.get(0);
                    StepPart part =
                            step(train, new StepRunner(specJson, backend, fit.seed(), epoch, b, idx, classWeight));
                    double loss = part.lossSum / idx.length;
                    if (!Double.isFinite(loss)) {
                        final int bad = b;
                        if (callbacks.stream().anyMatch(c -> c.onNonFiniteLoss(ctx, e, bad, loss))) {
                            // A callback (TerminateOnNaN) ends training here, before the bad update, as Trainer.
                            break epochs;
                        }
                        throw new TrainingDivergedException(epoch, b, loss);
                    }
                    long t = System.nanoTime();
                    model.optimizer().apply(model.weightStore(), meanGradient(part, idx.length));
                    times.driverNanos += System.nanoTime() - t;
                    acc.add(loss, ordered(part, idx.length), targets(part, idx.length));
                    final int bb = b;
                    callbacks.forEach(c -> c.onBatchEnd(ctx, e, bb, batches, loss));
                } else {
                    double loss = average(
                            train, new StepRunner(specJson, backend, fit.seed(), epoch, b, null, classWeight), round);
                    if (!Double.isFinite(loss)) {
                        throw new TrainingDivergedException(epoch, b, loss);
                    }
                    final int bb = b;
                    callbacks.forEach(c -> c.onBatchEnd(ctx, e, bb, batches, loss));
                }
            }
            Map<String, Double> logs =
                    new LinkedHashMap<>(options.exactSteps() ? acc.result("") : Map.of("loss", lastRoundLoss));
            if (validation != null) {
                model.evaluate(validation, fit.batchSize()).forEach((k, v) -> logs.put("val_" + k, v));
            }
            callbacks.forEach(c -> c.onEpochLogs(ctx, e, logs));
            model.history().record(logs, (System.nanoTime() - start) / 1e9);
            callbacks.forEach(c -> c.onEpochEnd(ctx, e, logs));
        }
        callbacks.forEach(c -> c.onTrainEnd(ctx, model.history()));
        return model.history();
    }

    private double lastRoundLoss = Double.NaN;

    /** One exact step: every partition's weighted gradient, summed. */
    private StepPart step(TrainingData train, StepRunner runner) {
        long t0 = System.nanoTime();
        float[] weights = FlatWeights.of(model.weightStore());
        Broadcast<float[]> bc =
                options.transfer() == DistributedOptions.WeightTransfer.BROADCAST ? sc.broadcast(weights) : null;
        float[] inTask = bc == null ? weights : null;
        StepPart part;
        try {
            if (options.combine() == DistributedOptions.Combine.TREE_AGGREGATE) {
                part = train.blocks()
                        .treeAggregate(
                                StepPart.empty(),
                                (acc, block) -> acc.merge(runner.run(block, inTask != null ? inTask : bc.value())),
                                StepPart::merge,
                                options.treeDepth());
                times.bytesToDriver += 8L * FlatWeights.size(trainable) * train.partitions();
            } else {
                part = allReduce(train, runner, inTask, bc);
            }
        } finally {
            if (bc != null) {
                bc.destroy();
            }
        }
        times.steps++;
        times.wallNanos += System.nanoTime() - t0;
        times.computeNanos += part.computeNanos;
        times.bytesToExecutors += 4L * weights.length * train.partitions();
        steps++;
        return part;
    }

    /** The block-manager all-reduce: one job computes and scatters, one reduces and gathers; a lost block reruns both. */
    private StepPart allReduce(TrainingData train, StepRunner runner, float[] inTask, Broadcast<float[]> bc) {
        int w = train.partitions();
        int size = FlatWeights.size(trainable);
        String id = run;
        long step = steps;
        for (int attempt = 0; ; attempt++) {
            final int at = attempt;
            try {
                List<StepPart> parts = train.blocks()
                        .mapPartitionsWithIndex(
                                (pi, it) -> {
                                    StepPart p = runner.run(it.next(), inTask != null ? inTask : bc.value());
                                    double[] g = p.gradient != null ? p.gradient : new double[size];
                                    BlockManagerAllReduce.scatter(id, step, at, pi, g, w);
                                    p.gradient = null;
                                    return List.of(p).iterator();
                                },
                                true)
                        .collect();
                List<double[]> chunks = sc.parallelize(rangeList(w), w)
                        .map(j -> BlockManagerAllReduce.reduce(id, step, at, j, w, size))
                        .collect();
                StepPart sum = StepPart.empty();
                parts.forEach(sum::merge);
                double[] g = new double[size];
                for (int j = 0; j < w; j++) {
                    System.arraycopy(
                            chunks.get(j), 0, g, BlockManagerAllReduce.chunkStart(size, w, j), chunks.get(j).length);
                }
                sum.gradient = g;
                times.bytesToDriver += 8L * size;
                times.bytesBetweenExecutors += 8L * size * (w - 1);
                BlockManagerAllReduce.remove(id, step, at, w);
                return sum;
            } catch (RuntimeException e) {
                BlockManagerAllReduce.remove(id, step, at, w);
                if (attempt >= 3) {
                    throw e;
                }
                times.retriedSteps++;
            }
        }
    }

    private static List<Integer> rangeList(int w) {
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < w; j++) {
            out.add(j);
        }
        return out;
    }

    /**
     * Periodic averaging: each partition takes its local steps on its shares of the round's global
     * batches from the driver's weights and optimizer state; the driver averages the results,
     * weighted by the samples each partition trained on. Returns the round's mean loss.
     */
    private double average(TrainingData train, StepRunner runner, List<int[]> round) {
        long t0 = System.nanoTime();
        float[] weights = FlatWeights.of(model.weightStore());
        StepRunner.SerializableState state =
                new StepRunner.SerializableState(model.optimizer().state());
        List<StepRunner.LocalRun> runs = train.blocks()
                .map(block -> runner.runLocal(block, weights, state.toState(), round))
                .collect();
        double[] w = new double[weights.length];
        Map<String, double[]> slots = new LinkedHashMap<>();
        double total = 0;
        double lossSum = 0;
        long compute = 0;
        for (StepRunner.LocalRun r : runs) {
            if (r.samples() == 0) {
                continue;
            }
            double share = r.samples();
            total += share;
            lossSum += r.lossSum();
            for (int i = 0; i < w.length; i++) {
                w[i] += share * r.weights()[i];
            }
            r.state().slots().forEach((k, v) -> {
                double[] s = slots.computeIfAbsent(k, kk -> new double[v.length]);
                for (int i = 0; i < v.length; i++) {
                    s[i] += share * v[i];
                }
            });
            compute = Math.max(compute, r.computeNanos());
        }
        float[] averaged = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            averaged[i] = (float) (w[i] / total);
        }
        FlatWeights.into(averaged, model.weightStore());
        LinkedHashMap<String, float[]> avgSlots = new LinkedHashMap<>();
        final double tot = total;
        slots.forEach((k, v) -> {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) (v[i] / tot);
            }
            avgSlots.put(k, f);
        });
        // Every partition stepped once per global batch of the round (or skipped an empty share).
        model.optimizer()
                .restore(new Optimizer.OptimizerState(model.optimizer().iterations() + round.size(), avgSlots));
        times.steps += round.size();
        times.wallNanos += System.nanoTime() - t0;
        times.computeNanos += compute;
        times.bytesToExecutors += (4L * weights.length + 4L * sum(avgSlots)) * train.partitions();
        times.bytesToDriver += (4L * weights.length + 4L * sum(avgSlots)) * train.partitions();
        lastRoundLoss = lossSum / total;
        return lastRoundLoss;
    }

    private static long sum(Map<String, float[]> slots) {
        long n = 0;
        for (float[] v : slots.values()) {
            n += v.length;
        }
        return n;
    }

    private Map<String, Tensor> meanGradient(StepPart part, int batch) {
        if (part.count != batch) {
            throw new IllegalStateException(
                    "the partitions computed " + part.count + " of the batch's " + batch + " samples");
        }
        float[] g = new float[part.gradient.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (part.gradient[i] / batch);
        }
        return FlatWeights.gradients(g, trainable);
    }

    /** The batch's outputs in batch order, {@code [batch, output...]}. */
    private Tensor ordered(StepPart part, int batch) {
        int per = part.outputs.length / part.count;
        float[] out = new float[batch * per];
        for (int r = 0; r < part.positions.length; r++) {
            System.arraycopy(part.outputs, r * per, out, part.positions[r] * per, per);
        }
        return Tensor.wrap(out, shape(batch, model.spec().outputShape()));
    }

    private Tensor targets(StepPart part, int batch) {
        boolean ints = part.intTargets.length > 0;
        int per = (ints ? part.intTargets.length : part.targets.length) / part.count;
        int[] shape = shape(batch, model.spec().outputShape());
        if (model.spec().compile().loss().sparseTargets()) {
            shape = Arrays.copyOf(shape, shape.length - 1);
        }
        if (ints) {
            int[] out = new int[batch * per];
            for (int r = 0; r < part.positions.length; r++) {
                System.arraycopy(part.intTargets, r * per, out, part.positions[r] * per, per);
            }
            return Tensor.wrapInts(out, shape);
        }
        float[] out = new float[batch * per];
        for (int r = 0; r < part.positions.length; r++) {
            System.arraycopy(part.targets, r * per, out, part.positions[r] * per, per);
        }
        return Tensor.wrap(out, shape);
    }

    private static int[] shape(int batch, List<Integer> sample) {
        int[] s = new int[sample.size() + 1];
        s[0] = batch;
        for (int i = 0; i < sample.size(); i++) {
            s[i + 1] = sample.get(i);
        }
        return s;
    }

    /** Measured time and bytes of the steps so far (driver clock). */
    public static final class StepTimes {
        long steps;
        long wallNanos;
        long computeNanos;
        long driverNanos;
        long bytesToExecutors;
        long bytesToDriver;
        long bytesBetweenExecutors;
        long retriedSteps;

        public long steps() {
            return steps;
        }

        /** Mean wall time of a step's Spark job(s), ms. */
        public double wallMs() {
            return steps == 0 ? 0 : wallNanos / 1e6 / steps;
        }

        /** Mean time of the slowest partition's engine work per step, ms. */
        public double computeMs() {
            return steps == 0 ? 0 : computeNanos / 1e6 / steps;
        }

        /** Mean time of the optimizer update on the driver per step, ms. */
        public double driverMs() {
            return steps == 0 ? 0 : driverNanos / 1e6 / steps;
        }

        public long bytesToExecutorsPerStep() {
            return steps == 0 ? 0 : bytesToExecutors / steps;
        }

        public long bytesToDriverPerStep() {
            return steps == 0 ? 0 : bytesToDriver / steps;
        }

        public long bytesBetweenExecutorsPerStep() {
            return steps == 0 ? 0 : bytesBetweenExecutors / steps;
        }

        public long retriedSteps() {
            return retriedSteps;
        }
    }

    private final class Context implements TrainingContext {
        private final ModelSpec spec;
        private final int epochs;
        private boolean stop;

        Context(ModelSpec spec, int epochs) {
            this.spec = spec;
            this.epochs = epochs;
        }

        @Override
        public ModelSpec spec() {
            return spec;
        }

        @Override
        public WeightStore weights() {
            return model.weightStore();
        }

        @Override
        public Optimizer optimizer() {
            return model.optimizer();
        }

        @Override
        public History history() {
            return model.history();
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
