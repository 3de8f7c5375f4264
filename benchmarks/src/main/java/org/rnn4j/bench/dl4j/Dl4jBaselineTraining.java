package org.rnn4j.bench.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.bench.SyntheticData;
import org.rnn4j.bench.TrainingRun;
import org.rnn4j.bench.Workload;

/**
 * A training workload as a DL4J user writes it: the batches converted once to NCW
 * {@code DataSet}s (windows {@code [batch, 1, steps]}, targets {@code [batch, 1]}; token ids
 * {@code [batch, steps]} as floats, next-id targets {@code [batch, 1, steps]} for the sparse
 * cross-entropy), then {@code net.fit(DataSet)} per batch in a fixed order.
 */
public final class Dl4jBaselineTraining implements TrainingRun {
    private final MultiLayerNetwork net;
    private final List<DataSet> batches = new ArrayList<>();

    public Dl4jBaselineTraining(Workload workload, SyntheticData data) {
        Workload.Sizes s = data.sizes();
        this.net = Dl4jBaselineNets.create(workload, s);
        for (int b = 0; b < s.batchesPerEpoch(); b++) {
            Tensor xb = data.x().sliceRows(b * s.batch(), (b + 1) * s.batch());
            Tensor yb = data.y().sliceRows(b * s.batch(), (b + 1) * s.batch());
            INDArray features;
            INDArray labels;
            if (workload == Workload.W2) {
                features = Nd4j.create(floats(xb.intView()), new long[] {s.batch(), s.steps()}, 'c');
                labels = Nd4j.create(floats(yb.intView()), new long[] {s.batch(), 1, s.steps()}, 'c');
            } else {
                // One feature: [batch, steps, 1] and NCW [batch, 1, steps] hold the same numbers in the same order.
                features = Nd4j.create(xb.floatView(), new long[] {s.batch(), 1, s.steps()}, 'c');
                labels = Nd4j.create(yb.floatView(), new long[] {s.batch(), 1}, 'c');
            }
            batches.add(new DataSet(features, labels));
        }
    }

    static float[] floats(int[] ids) {
        float[] f = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            f[i] = ids[i];
        }
        return f;
    }

    @Override
    public double epoch(int epoch, int count, IntConsumer batchDone) {
        double sum = 0;
        for (int b = 0; b < count; b++) {
            net.fit(batches.get(b));
            sum += net.score();
            batchDone.accept(b);
        }
        return sum / count;
    }

    @Override
    public void close() {
        // The network's arrays are ND4J-managed (workspaces and GC-tracked buffers); nothing to close.
    }
}
