package org.rnn4j.api.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.api.weights.WeightStore;

/** The loop's own logic, over a fake program (our own interface) computing y = w*x + b in plain Java. */
public class TrainerTest {
    public static final ModelSpec SPEC = Sequential.name("lin")
            .input(1)
            .add(Layers.dense(1))
            .compile(
                    new CompileSpec(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd(0.1, 0, false), List.of(Metric.MAE)))
            .build();

    /** y = w*x + b with MSE; records the first x of every batch it sees. */
    public static class LinearProgram implements Program {
        public final List<Float> seen = new ArrayList<>();

        private Tensor out(Tensor x, WeightStore w) {
            float k = w.array("dense/kernel")[0];
            float b = w.array("dense/bias")[0];
            float[] y = new float[x.dim(0)];
            for (int i = 0; i < y.length; i++) {
                y[i] = k * x.floatView()[i] + b;
            }
            return Tensor.wrap(y, y.length, 1);
        }

        @Override
        public Tensor predict(Tensor x, WeightStore w) {
            return out(x, w);
        }

        @Override
        public Evaluation evaluate(Tensor x, Tensor y, WeightStore w) {
            Tensor p = out(x, w);
            double l = 0;
            for (int i = 0; i < p.size(); i++) {
                l += Math.pow(p.floatView()[i] - y.floatView()[i], 2);
            }
            return new Evaluation(l / p.size(), p);
        }

        @Override
        public Advance advance(Tensor x, org.rnn4j.api.backend.RecurrentState from, WeightStore w) {
            throw new IllegalArgumentException("a linear model has no recurrent state");
        }

        @Override
        public SegmentResult trainSegment(
                Tensor x,
                Tensor y,
                org.rnn4j.api.backend.RecurrentState from,
                WeightStore w,
                Map<String, Tensor> noise,
                int backwardSteps) {
            throw new IllegalArgumentException("a linear model has no recurrent state");
        }

        @Override
        public StepResult trainStep(Tensor x, Tensor y, WeightStore w, Map<String, Tensor> noise) {
            seen.add(x.floatView()[0]);
            Tensor p = out(x, w);
            float gk = 0;
            float gb = 0;
            for (int i = 0; i < p.size(); i++) {
                float e = p.floatView()[i] - y.floatView()[i];
                gk += 2 * e * x.floatView()[i] / p.size();
                gb += 2 * e / p.size();
            }
            double loss = evaluate(x, y, w).loss();
            return new StepResult(
                    loss,
                    p,
                    Map.of(
                            "dense/kernel",
                            Tensor.of(new float[] {gk}, 1, 1),
                            "dense/bias",
                            Tensor.of(new float[] {gb}, 1)),
                    Map.of());
        }

        @Override
        public void close() {}
    }

    private static TensorDataset line(int n) {
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i / (float) n;
            y[i] = 3 * x[i] + 1;
        }
        return TensorDataset.of(Tensor.wrap(x, n, 1), Tensor.wrap(y, n, 1));
    }

    private static WeightStore zeros() {
        WeightStore w = new WeightStore(SPEC.weights());
        return w;
    }

    @Test
    void lossFallsAndHistoryHasKerasKeys() {
        LinearProgram p = new LinearProgram();
        WeightStore w = zeros();
        History h = new Trainer(p, SPEC, w, new Optimizer(SPEC.compile().optimizer()))
                .fit(line(40), line(8), new FitOptions(30, 8, 0, true, 1), List.of(), 0, new History());
        assertEquals(
                List.of("loss", "mae", "val_loss", "val_mae"),
                List.copyOf(h.history().keySet()));
        assertEquals(30, h.epochs());
        assertTrue(h.last("loss") < h.get("loss").get(0) / 10, "loss fell tenfold: " + h.get("loss"));
    }

    @Test
    void shuffleIsSeededPerEpochAndTheSameOnEveryRun() {
        FitOptions opts = new FitOptions(3, 4, 0, true, 7);
        assertArrayEquals(Trainer.order(20, opts, 1), Trainer.order(20, opts, 1));
        assertNotEquals(
                java.util.Arrays.toString(Trainer.order(20, opts, 1)),
                java.util.Arrays.toString(Trainer.order(20, opts, 2)));
        int[] sorted = Trainer.order(20, opts, 1).clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(Trainer.order(20, opts.withShuffle(false), 1), sorted, "a permutation of every sample");
    }

    @Test
    void withoutShuffleBatchesComeInOrder() {
        LinearProgram p = new LinearProgram();
        new Trainer(p, SPEC, zeros(), new Optimizer(SPEC.compile().optimizer()))
                .fit(line(12), null, new FitOptions(1, 4, 0, false, 1), List.of(), 0, new History());
        assertEquals(List.of(0f, 4 / 12f, 8 / 12f), p.seen);
    }

    @Test
    void nanLossStopsWithEpochAndBatchAndKeepsTheWeights() {
        WeightStore w = zeros();
        Trainer t = new Trainer(
                new LinearProgram() {
                    int calls;

                    @Override
                    public StepResult trainStep(Tensor x, Tensor y, WeightStore ws, Map<String, Tensor> noise) {
                        StepResult r = super.trainStep(x, y, ws, noise);
                        return ++calls == 6
                                ? new StepResult(Double.POSITIVE_INFINITY, r.output(), r.gradients(), Map.of())
                                : r;
                    }
                },
                SPEC,
                w,
                new Optimizer(SPEC.compile().optimizer()));
        TrainingDivergedException e = assertThrows(
                TrainingDivergedException.class,
                () -> t.fit(line(20), null, new FitOptions(5, 4, 0, false, 1), List.of(), 0, new History()));
        assertEquals(1, e.epoch());
        assertEquals(0, e.batch());
        assertEquals(
                "training diverged: loss is Infinity at epoch 2, batch 1; the weights are those before this batch."
                        + " Lower the learning rate, scale the data (e.g. percent differences or a min-max scaler), or check the input for NaN",
                e.getMessage());
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        WeightStore w = WeightInitializer.initialized(SPEC.weights(), 1);
        EarlyStopping stop = new EarlyStopping("loss", 1).withRestoreBestWeights(true);
        List<Map<String, Tensor>> seen = new ArrayList<>();
        Callback record = new Callback() {
            @Override
            public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
                seen.add(ctx.weights().snapshot());
            }
        };
        // A learning rate so high that the loss rises after the first epoch: stop and restore epoch 0's weights.
        ModelSpec wild = SPEC.withCompile(
                new CompileSpec(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd(5, 0, false), List.of()));
        History h = new Trainer(
                        new LinearProgram(),
                        wild,
                        w,
                        new Optimizer(wild.compile().optimizer()))
                .fit(line(16), null, new FitOptions(20, 16, 0, false, 1), List.of(stop, record), 0, new History());
        assertTrue(h.epochs() < 20, "stopped early, after " + h.epochs() + " epochs");
        assertEquals(seen.get(stop.bestEpoch()), w.snapshot());
    }

    /** Keras's hinge losses read a batch of 0/1 labels as -1/1 (and leave other labels alone); metrics see the raw ones. */
    @Test
    void hingeTargetsAreConvertedPerBatchAsKeras() {
        ModelSpec hinge = SPEC.withCompile(
                new CompileSpec(Loss.HINGE, new OptimizerSpec.Sgd(0.1, 0, false), List.of(Metric.MAE)));
        List<float[]> targets = new ArrayList<>();
        LinearProgram p = new LinearProgram() {
            @Override
            public StepResult trainStep(Tensor x, Tensor y, WeightStore w, Map<String, Tensor> noise) {
                targets.add(y.floatView().clone());
                return super.trainStep(x, y, w, noise);
            }
        };
        TensorDataset data = TensorDataset.of(
                Tensor.wrap(new float[] {0, 1, 2, 3}, 4, 1), Tensor.wrap(new float[] {0, 1, 0.5f, -1}, 4, 1));
        new Trainer(p, hinge, zeros(), new Optimizer(hinge.compile().optimizer()))
                .fit(data, null, new FitOptions(1, 2, 0, false, 1), List.of(), 0, new History());
        assertArrayEquals(new float[] {-1, 1}, targets.get(0), "an all-0/1 batch becomes -1/1");
        assertArrayEquals(new float[] {0.5f, -1}, targets.get(1), "other labels stay");
    }
}
