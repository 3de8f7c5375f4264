package org.rnn4j.spark.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.Optimizer;
import org.rnn4j.api.train.SampleWeights;
import org.rnn4j.api.train.Trainer;
import org.rnn4j.api.weights.WeightStore;
import org.rnn4j.spark.engine.ExecutorEngines;

/**
 * The executor side of one step: the share of global batch {@code b} of {@code epoch} that a
 * block holds, its dropout masks cut from the global batch's masks (drawn by the api's
 * {@link Trainer#drawNoise} from {@code (seed, epoch, b)}, as on one machine), one forward and
 * backward pass on the executor's engine. Deterministic: a task Spark runs again gives the same
 * numbers, so a lost executor does not change the result.
 *
 * @param batch       the global batch: sample indices in batch order
 * @param classWeight Keras's {@code class_weight} (empty for none): each sample's loss weighted by
 *                    its class, as {@link org.rnn4j.api.Model#fit} weighs it on one machine
 */
record StepRunner(
        String specJson, String backend, long seed, int epoch, int b, int[] batch, TreeMap<Integer, Double> classWeight)
        implements Serializable {

    StepPart run(SampleBlock block, float[] weights) {
        FaultInjection.pauseIfAsked(epoch, b);
        long start = System.nanoTime();
        StepPart part = StepPart.empty();
        int[] positions = block.positionsIn(batch);
        if (positions.length == 0) {
            return part;
        }
        ModelSpec spec = ExecutorEngines.spec(specJson);
        org.rnn4j.api.data.Batch share = block.batch(block.localIndices(batch, positions));
        Tensor x = share.x();
        Tensor y = share.y();
        Map<String, Tensor> masks = masks(spec, block.timeSteps(), positions);
        WeightStore store = new WeightStore(spec.weights());
        FlatWeights.into(weights, store);
        Tensor target = lossTargets(spec, y);
        Tensor sw = sampleWeights(spec, y, block.timeSteps());
        Program.StepResult r =
                ExecutorEngines.withProgram(backend, specJson, p -> p.trainStep(x, target, sw, store, masks));
        int n = positions.length;
        List<WeightSpec> trainable = FlatWeights.trainable(spec.weights());
        double[] g = new double[FlatWeights.size(trainable)];
        int at = 0;
        for (WeightSpec w : trainable) {
            float[] gw = r.gradients().get(w.name()).floatView();
            for (float v : gw) {
                g[at++] = (double) v * n;
            }
        }
        part.gradient = g;
        part.lossSum = r.loss() * n;
        part.count = n;
        part.positions = positions;
        part.outputs = r.output().floatView().clone();
        if (y.dtype() == DType.INT32) {
            part.intTargets = y.intView().clone();
        } else {
            part.targets = y.floatView().clone();
        }
        part.computeNanos = System.nanoTime() - start;
        return part;
    }

    /**
     * Periodic averaging: {@code steps} local steps starting at global batch {@code b}, each on this
     * block's share of that global batch, updating a local copy of the weights and optimizer.
     */
    LocalRun runLocal(SampleBlock block, float[] weights, Optimizer.OptimizerState state, List<int[]> batches) {
        long start = System.nanoTime();
        ModelSpec spec = ExecutorEngines.spec(specJson);
        WeightStore store = new WeightStore(spec.weights());
        FlatWeights.into(weights, store);
        Optimizer optimizer = new Optimizer(spec.compile().optimizer());
        optimizer.restore(state);
        double lossSum = 0;
        int samples = 0;
        int steps = 0;
        for (int k = 0; k < batches.size(); k++) {
            int[] global = batches.get(k);
            int[] positions = block.positionsIn(global);
            if (positions.length == 0) {
                continue;
            }
            org.rnn4j.api.data.Batch share = block.batch(block.localIndices(global, positions));
            Tensor x = share.x();
            Tensor y = share.y();
            Map<String, Tensor> masks = masks(spec, block.timeSteps(), positions, global.length, b + k);
            Tensor target = lossTargets(spec, y);
            Tensor sw = sampleWeights(spec, y, block.timeSteps());
            Program.StepResult r =
                    ExecutorEngines.withProgram(backend, specJson, p -> p.trainStep(x, target, sw, store, masks));
            optimizer.apply(store, r.gradients());
            lossSum += r.loss() * positions.length;
            samples += positions.length;
            steps++;
        }
        return new LocalRun(
                FlatWeights.of(store),
                new SerializableState(optimizer.state()),
                lossSum,
                samples,
                steps,
                System.nanoTime() - start);
    }

    /**
     * The targets as the loss reads them, as the api's Trainer does: Keras's hinge losses turn
     * all-0/1 targets into -1/1. Decided on this block's share of the global batch, which gives the
     * global batch's targets unless one batch mixes a 0 with a value other than 0 or 1.
     */
    private static Tensor lossTargets(ModelSpec spec, Tensor y) {
        if (!spec.compile().loss().convertsBinaryLabels()) {
            return y;
        }
        return Tensor.wrap(Loss.hingeTargets(y.floatView()), y.shape());
    }

    /** The class weights of this share's targets, shaped as the loss values; null without class weights. */
    private Tensor sampleWeights(ModelSpec spec, Tensor y, int timeSteps) {
        if (classWeight.isEmpty()) {
            return null;
        }
        return SampleWeights.forLoss(spec, SampleWeights.fromClassWeight(y, classWeight), timeSteps);
    }

    private Map<String, Tensor> masks(ModelSpec spec, int timeSteps, int[] positions) {
        return masks(spec, timeSteps, positions, batch.length, b);
    }

    private Map<String, Tensor> masks(ModelSpec spec, int timeSteps, int[] positions, int batchSize, int batchIndex) {
        List<NoiseSpec> noise = ModelGraph.noiseSpecs(spec, timeSteps);
        if (noise.isEmpty()) {
            return Map.of();
        }
        Map<String, Tensor> global = Trainer.drawNoise(noise, batchSize, seed, epoch, batchIndex);
        Map<String, Tensor> mine = new LinkedHashMap<>();
        global.forEach((k, v) -> mine.put(k, v.gatherRows(positions)));
        return mine;
    }

    /** What a partition returns after its local steps. */
    record LocalRun(float[] weights, SerializableState state, double lossSum, int samples, int steps, long computeNanos)
            implements Serializable {}

    /** An optimizer state that Spark can ship (the api's record is not {@link Serializable}). */
    record SerializableState(long iterations, LinkedHashMap<String, float[]> slots) implements Serializable {
        SerializableState(Optimizer.OptimizerState s) {
            this(s.iterations(), new LinkedHashMap<>(s.slots()));
        }

        Optimizer.OptimizerState toState() {
            return new Optimizer.OptimizerState(iterations, slots);
        }
    }
}
