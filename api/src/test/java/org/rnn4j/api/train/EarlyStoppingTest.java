package org.rnn4j.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrentState;
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
import org.rnn4j.api.weights.WeightStore;

/**
 * Keras 3's EarlyStopping on scripted epochs. A fake program moves {@code dense/bias} up by exactly
 * 1 per epoch (one batch, SGD lr 1, gradient -1), so after epoch e (0-based) the bias is e + 1, and
 * its validation outputs make {@code val_accuracy} follow {@link #ACCURACY}: the expected stops and
 * restored weights below are worked out by hand from Keras's rules (see each test).
 */
class EarlyStoppingTest {
    /** val_accuracy at the end of epochs 0..9: rises, plateaus, dips, rises again. */
    static final double[] ACCURACY = {0.4, 0.5, 0.6, 0.6, 0.5, 0.7, 0.6, 0.6, 0.6, 0.9};

    private static final ModelSpec SPEC = Sequential.name("acc")
            .input(1)
            .add(Layers.dense(1))
            .compile(new CompileSpec(
                    Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd(1, 0, false), List.of(Metric.ACCURACY)))
            .build();

    /**
     * Validation inputs are 0..9 and targets 10 ones; after epoch e the inputs below
     * round(10 * ACCURACY[e]) give 1, the rest 0.
     */
    static final class Scripted implements Program {
        private Tensor out(Tensor x, WeightStore w) {
            int epoch = Math.round(w.array("dense/bias")[0]) - 1;
            float[] y = new float[x.dim(0)];
            long right = Math.round(10 * ACCURACY[epoch]);
            for (int i = 0; i < y.length; i++) {
                y[i] = x.floatView()[i] < right ? 1 : 0;
            }
            return Tensor.wrap(y, y.length, 1);
        }

        @Override
        public Tensor predict(Tensor x, WeightStore w) {
            return out(x, w);
        }

        @Override
        public Evaluation evaluate(Tensor x, Tensor y, WeightStore w) {
            return new Evaluation(0.5, out(x, w));
        }

        @Override
        public StepResult trainStep(Tensor x, Tensor y, WeightStore w, Map<String, Tensor> noise) {
            return new StepResult(
                    0.5,
                    Tensor.zeros(x.dim(0), 1),
                    Map.of("dense/kernel", Tensor.zeros(1, 1), "dense/bias", Tensor.of(new float[] {-1}, 1)),
                    Map.of());
        }

        @Override
        public Advance advance(Tensor x, RecurrentState from, WeightStore w) {
            throw new IllegalArgumentException("this fake has no recurrent state");
        }

        @Override
        public SegmentResult trainSegment(
                Tensor x, Tensor y, RecurrentState from, WeightStore w, Map<String, Tensor> noise, int backwardSteps) {
            throw new IllegalArgumentException("this fake has no recurrent state");
        }

        @Override
        public void close() {}
    }

    /** Runs up to 10 epochs; returns the bias at the end (= 1 + the epoch whose weights the model holds). */
    private static float run(EarlyStopping stop, History[] history) {
        WeightStore w = new WeightStore(SPEC.weights());
        TensorDataset train = TensorDataset.of(Tensor.zeros(1, 1), Tensor.zeros(1, 1));
        float[] ones = new float[10];
        java.util.Arrays.fill(ones, 1);
        float[] ids = new float[10];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        TensorDataset val = TensorDataset.of(Tensor.wrap(ids, 10, 1), Tensor.wrap(ones, 10, 1));
        history[0] = new Trainer(
                        new Scripted(), SPEC, w, new Optimizer(SPEC.compile().optimizer()))
                .fit(train, val, new FitOptions(10, 1, 0, false, 1), List.of(stop), 0, new History());
        return w.array("dense/bias")[0];
    }

    @Test
    void theScriptReachesTheAccuracies() {
        History[] h = new History[1];
        run(new EarlyStopping("val_accuracy", 100), h);
        List<Double> acc = h[0].get("val_accuracy");
        for (int e = 0; e < ACCURACY.length; e++) {
            assertEquals(ACCURACY[e], acc.get(e), 1e-12, "epoch " + e);
        }
    }

    /**
     * Patience 2, mode auto (val_accuracy is maximised). wait counts: e0 0.4 best; e1 0.5 best; e2 0.6
     * best; e3 0.6 is no gain, wait 1; e4 0.5, wait 2 >= 2: stop after epoch 4 (5 epochs run), and
     * restore epoch 2's weights (bias 3). The old rnn4j minimised and stopped after 4 epochs with
     * epoch 0's weights.
     */
    @Test
    void valAccuracyIsMaximisedAndTheBestWeightsComeBack() {
        History[] h = new History[1];
        EarlyStopping stop = new EarlyStopping("val_accuracy", 2).withRestoreBestWeights(true);
        float bias = run(stop, h);
        assertEquals(5, h[0].epochs());
        assertEquals(4, stop.stoppedEpoch());
        assertEquals(2, stop.bestEpoch());
        assertEquals(0.6, stop.best(), 1e-12);
        assertEquals(3f, bias, "epoch 2's weights restored");
    }

    @Test
    void restoreBestWeightsIsOffByDefault() {
        History[] h = new History[1];
        float bias = run(new EarlyStopping("val_accuracy", 2), h);
        assertEquals(5, h[0].epochs());
        assertEquals(5f, bias, "the last epoch's weights stay");
    }

    /** Mode min on val_accuracy (what the old code always did): e0 best, e1..e3 wait 1, 2 -> stop after epoch 2. */
    @Test
    void modeMinIsHonoured() {
        History[] h = new History[1];
        EarlyStopping stop =
                new EarlyStopping("val_accuracy", 2).withMode(Monitor.Mode.MIN).withRestoreBestWeights(true);
        float bias = run(stop, h);
        assertEquals(3, h[0].epochs());
        assertEquals(1f, bias, "epoch 0 is the lowest accuracy");
    }

    /**
     * min_delta 0.15: e0 0.4 best; e1 0.5 - 0.15 = 0.35 is not above 0.4, wait 1; e2 0.45 > 0.4, best
     * 0.6, wait 0; e3 wait 1; e4 wait 2: stop after epoch 4 with epoch 2 best.
     */
    @Test
    void minDeltaMustBeBeaten() {
        History[] h = new History[1];
        EarlyStopping stop =
                new EarlyStopping("val_accuracy", 2).withMinDelta(0.15).withRestoreBestWeights(true);
        float bias = run(stop, h);
        assertEquals(5, h[0].epochs());
        assertEquals(3f, bias);
    }

    /**
     * Baseline 0.65: improvements below it do not reset the wait. e0 wait 1 (best 0.4, no reset);
     * e1 wait 2 (best 0.5, an improvement returns before the stop test); e2 wait 3 (best 0.6); e3 no
     * gain, wait 4 >= 2: stop after epoch 3, best epoch 2.
     */
    @Test
    void baselineKeepsTheWaitRunning() {
        History[] h = new History[1];
        EarlyStopping stop =
                new EarlyStopping("val_accuracy", 2).withBaseline(0.65).withRestoreBestWeights(true);
        float bias = run(stop, h);
        assertEquals(4, h[0].epochs());
        assertEquals(3f, bias);
    }

    /** start_from_epoch 5: e5 0.7 best (the first looked at); e6 wait 1; e7 wait 2: stop after epoch 7, restore e5. */
    @Test
    void earlyEpochsAreNotLookedAt() {
        History[] h = new History[1];
        EarlyStopping stop =
                new EarlyStopping("val_accuracy", 2).withStartFromEpoch(5).withRestoreBestWeights(true);
        float bias = run(stop, h);
        assertEquals(8, h[0].epochs());
        assertEquals(6f, bias);
    }

    @Test
    void anUnknownDirectionOrAMissingMonitorIsAnError() {
        History[] h = new History[1];
        IllegalArgumentException auto =
                assertThrows(IllegalArgumentException.class, () -> run(new EarlyStopping("val_f1", 2), h));
        assertTrue(auto.getMessage().contains("pass mode max or min"), auto.getMessage());
        IllegalStateException missing = assertThrows(
                IllegalStateException.class, () -> run(new EarlyStopping("val_mae", 2).withMode(Monitor.Mode.MIN), h));
        assertTrue(missing.getMessage().contains("'val_mae'"), missing.getMessage());
    }
}
