package org.rnn4j.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.LearningRateSchedule;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * ReduceLROnPlateau, LearningRateScheduler, CsvLogger, TerminateOnNaN and ModelCheckpoint over fake
 * programs (our own interface), with expected values worked out by hand from Keras 3's rules.
 */
class CallbacksTest {
    @TempDir
    Path tmp;

    /** val_accuracy per epoch, as in EarlyStoppingTest. */
    static final double[] ACCURACY = EarlyStoppingTest.ACCURACY;

    private static ModelSpec spec(OptimizerSpec optimizer) {
        return Sequential.name("acc")
                .input(1)
                .add(Layers.dense(1))
                .compile(new CompileSpec(Loss.MEAN_SQUARED_ERROR, optimizer, List.of(Metric.ACCURACY)))
                .build();
    }

    /** Validation outputs give ACCURACY[epoch] whatever the learning rate: the epoch comes from a counter. */
    static final class ByEpoch implements Program, Callback {
        int epoch;

        @Override
        public void onEpochBegin(TrainingContext ctx, int e) {
            epoch = e;
        }

        @Override
        public Tensor predict(Tensor x, WeightStore w) {
            float[] y = new float[x.dim(0)];
            long right = Math.round(10 * ACCURACY[epoch]);
            for (int i = 0; i < y.length; i++) {
                y[i] = x.floatView()[i] < right ? 1 : 0;
            }
            return Tensor.wrap(y, y.length, 1);
        }

        @Override
        public Evaluation evaluate(Tensor x, Tensor y, WeightStore w) {
            return new Evaluation(0.5, predict(x, w));
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

    private static History fit(ModelSpec spec, Optimizer optimizer, WeightStore w, List<Callback> callbacks) {
        ByEpoch program = new ByEpoch();
        List<Callback> all = new ArrayList<>(List.of(program));
        all.addAll(callbacks);
        float[] ids = new float[10];
        float[] ones = new float[10];
        for (int i = 0; i < 10; i++) {
            ids[i] = i;
            ones[i] = 1;
        }
        return new Trainer(program, spec, w, optimizer)
                .fit(
                        TensorDataset.of(Tensor.zeros(1, 1), Tensor.zeros(1, 1)),
                        TensorDataset.of(Tensor.wrap(ids, 10, 1), Tensor.wrap(ones, 10, 1)),
                        new FitOptions(10, 1, 0, false, 1),
                        all,
                        0,
                        new History());
    }

    /**
     * Patience 2, factor 0.5, cooldown 1, min_lr 0.3, val_accuracy maximised. e3 no gain (wait 1), e4
     * wait 2: lr 1 -> 0.5, cooldown 1; e5 cooldown ends, 0.7 is best; e6 wait 1; e7 wait 2: lr 0.5 ->
     * max(0.25, 0.3) = 0.3; e8 cooldown ends, no gain, wait 1; e9 best. Each epoch logs the rate it used.
     */
    @Test
    void reduceLrOnPlateauByHand() {
        ModelSpec spec = spec(new OptimizerSpec.Sgd(1, 0, false));
        Optimizer optimizer = new Optimizer(spec.compile().optimizer());
        WeightStore w = new WeightStore(spec.weights());
        History h = fit(
                spec,
                optimizer,
                w,
                List.of(new ReduceLROnPlateau("val_accuracy", 0.5, 2, Monitor.Mode.AUTO, 1e-4, 1, 0.3)));
        double point3 = 0.3f;
        assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, point3, point3), h.get("learning_rate"));
        assertEquals(0.3f, optimizer.learningRate());
        // SGD moved the bias by the rate of each epoch (gradient -1, one batch an epoch).
        assertEquals(5 * 1 + 3 * 0.5 + 2 * point3, w.array("dense/bias")[0], 1e-6);
    }

    @Test
    void learningRateSchedulerSetsEachEpochsRate() {
        ModelSpec spec = spec(new OptimizerSpec.Sgd(0.1, 0, false));
        Optimizer optimizer = new Optimizer(spec.compile().optimizer());
        History h = fit(
                spec,
                optimizer,
                new WeightStore(spec.weights()),
                List.of(new LearningRateScheduler((epoch, lr) -> epoch < 2 ? lr : lr * 0.5)));
        List<Double> rates = h.get("learning_rate");
        assertEquals((double) 0.1f, rates.get(1));
        assertEquals((double) 0.05f, rates.get(2));
        assertEquals((double) (float) ((double) 0.05f * 0.5), rates.get(3));
        ModelSpec scheduled = spec(
                new OptimizerSpec.Sgd().withSchedule(new LearningRateSchedule.ExponentialDecay(0.1, 10, 0.5, false)));
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> fit(
                        scheduled,
                        new Optimizer(scheduled.compile().optimizer()),
                        new WeightStore(scheduled.weights()),
                        List.of(new LearningRateScheduler((epoch, lr) -> lr))));
        assertTrue(e.getMessage().contains("cannot be set"), e.getMessage());
        IllegalArgumentException r = assertThrows(
                IllegalArgumentException.class,
                () -> fit(
                        scheduled,
                        new Optimizer(scheduled.compile().optimizer()),
                        new WeightStore(scheduled.weights()),
                        List.of(new ReduceLROnPlateau())));
        assertTrue(r.getMessage().contains("give a constant learning_rate"), r.getMessage());
    }

    @Test
    void csvLoggerWritesKerasRowsAndAppends() throws Exception {
        ModelSpec spec = spec(new OptimizerSpec.Sgd(1, 0, false));
        Path csv = tmp.resolve("logs/history.csv");
        History h = fit(
                spec,
                new Optimizer(spec.compile().optimizer()),
                new WeightStore(spec.weights()),
                List.of(new CsvLogger(csv)));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,accuracy,loss,val_accuracy,val_loss", lines.get(0));
        assertEquals(11, lines.size());
        assertEquals("0,1.0,0.5,0.4,0.5", lines.get(1));
        assertEquals("9,1.0,0.5,0.9,0.5", lines.get(10));
        fit(
                spec,
                new Optimizer(spec.compile().optimizer()),
                new WeightStore(spec.weights()),
                List.of(new CsvLogger(csv, ';', true)));
        List<String> again = Files.readAllLines(csv);
        assertEquals(21, again.size(), "appended without a second header");
        assertEquals("0;1.0;0.5;0.4;0.5", again.get(11));
        assertEquals(10, h.epochs());
    }

    @Test
    void pythonNumberFormat() {
        assertEquals("0.25", CsvLogger.python(0.25));
        assertEquals("1e-05", CsvLogger.python(1e-5));
        assertEquals("0.0001", CsvLogger.python(1e-4));
        assertEquals("123456.0", CsvLogger.python(123456));
        assertEquals("1.5e+16", CsvLogger.python(1.5e16));
        assertEquals("-2.5e-07", CsvLogger.python(-2.5e-7));
        assertEquals("nan", CsvLogger.python(Double.NaN));
    }

    /** Five batches an epoch; the sixth call (epoch 1, batch 0) is infinite. */
    @Test
    void terminateOnNanEndsTrainingBeforeTheBadUpdate() {
        ModelSpec spec = Sequential.name("lin")
                .input(1)
                .add(Layers.dense(1))
                .compile(new CompileSpec(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd(0.1, 0, false), List.of()))
                .build();
        int[] calls = {0};
        List<float[]> biases = new ArrayList<>();
        TrainerTest.LinearProgram program = new TrainerTest.LinearProgram() {
            @Override
            public StepResult trainStep(Tensor x, Tensor y, WeightStore ws, Map<String, Tensor> noise) {
                StepResult r = super.trainStep(x, y, ws, noise);
                return ++calls[0] == 6 ? new StepResult(Double.NaN, r.output(), r.gradients(), Map.of()) : r;
            }
        };
        WeightStore w = new WeightStore(spec.weights());
        TerminateOnNaN stop = new TerminateOnNaN();
        Callback record = new Callback() {
            @Override
            public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
                biases.add(ctx.weights().array("dense/bias").clone());
            }
        };
        float[] x = new float[20];
        for (int i = 0; i < 20; i++) {
            x[i] = i / 20f;
        }
        History h = new Trainer(program, spec, w, new Optimizer(spec.compile().optimizer()))
                .fit(
                        TensorDataset.of(Tensor.wrap(x, 20, 1), Tensor.wrap(x.clone(), 20, 1)),
                        null,
                        new FitOptions(5, 4, 0, false, 1),
                        List.of(stop, record),
                        0,
                        new History());
        assertTrue(stop.terminated());
        assertEquals(1, stop.epoch());
        assertEquals(0, stop.batch());
        assertEquals(1, h.epochs(), "the unfinished epoch is not recorded");
        assertEquals(biases.get(0)[0], w.array("dense/bias")[0], "the weights are those before the bad batch");
        assertEquals(6, calls[0]);
    }

    /** val_accuracy improves at epochs 0, 1, 2, 5 and 9 (1-based 1, 2, 3, 6, 10): only those are saved. */
    @Test
    void modelCheckpointSavesTheBestEpochsUnderFormattedNames() throws Exception {
        ModelSpec spec = spec(new OptimizerSpec.Sgd(1, 0, false));
        WeightStore w = new WeightStore(spec.weights());
        String pattern = tmp.resolve("ckpt-{epoch:02d}-{val_accuracy:.2f}").toString();
        fit(
                spec,
                new Optimizer(spec.compile().optimizer()),
                w,
                List.of(new ModelCheckpoint(pattern, "val_accuracy", true, Monitor.Mode.AUTO, null)));
        List<String> saved;
        try (var s = Files.list(tmp)) {
            saved = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("ckpt-01-0.40", "ckpt-02-0.50", "ckpt-03-0.60", "ckpt-06-0.70", "ckpt-10-0.90"), saved);
        LoadedModel six = ModelFiles.load(tmp.resolve("ckpt-06-0.70"));
        assertEquals(6f, six.weights().get("dense/bias").floatView()[0], "the weights at the end of epoch 6");
        assertEquals(6, six.extras().get("history").get("loss").size());
        assertFalse(Files.exists(tmp.resolve("ckpt-04-0.60")));
    }

    @Test
    void checkpointNamesFormatLikePython() {
        Map<String, Double> logs = Map.of("val_loss", 0.123456, "loss", 2.0);
        assertEquals("m-007-0.1235-2.0", ModelCheckpoint.format("m-{epoch:03d}-{val_loss:.4f}-{loss}", 6, logs));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.format("m-{val_mae}", 0, logs));
        assertTrue(e.getMessage().contains("{val_mae}"), e.getMessage());
    }

    /**
     * A flat val_loss (5 every epoch), patience 1, cooldown 2, factor 0.5: e1 reduces (1 -> 0.5);
     * e2 is in cooldown; e3 leaves it, waits 1, reduces (0.25); e4 cooldown; e5 reduces (0.125).
     * Without the cooldown every epoch from e1 would halve the rate.
     */
    @Test
    void reduceLrOnPlateauCoolsDown() {
        ModelSpec spec = spec(new OptimizerSpec.Sgd(1, 0, false));
        Optimizer optimizer = new Optimizer(spec.compile().optimizer());
        TrainingContext ctx = new TrainingContext() {
            @Override
            public ModelSpec spec() {
                return spec;
            }

            @Override
            public WeightStore weights() {
                return new WeightStore(spec.weights());
            }

            @Override
            public Optimizer optimizer() {
                return optimizer;
            }

            @Override
            public History history() {
                return new History();
            }

            @Override
            public int epochs() {
                return 6;
            }

            @Override
            public void stopTraining() {}
        };
        ReduceLROnPlateau reduce = new ReduceLROnPlateau("val_loss", 0.5, 1, Monitor.Mode.AUTO, 1e-4, 2, 0);
        reduce.onTrainBegin(ctx);
        List<Double> rates = new ArrayList<>();
        for (int e = 0; e < 6; e++) {
            Map<String, Double> logs = new java.util.LinkedHashMap<>(Map.of("val_loss", 5.0));
            reduce.onEpochLogs(ctx, e, logs);
            rates.add(logs.get("learning_rate"));
            reduce.onEpochEnd(ctx, e, logs);
        }
        assertEquals(List.of(1.0, 1.0, 0.5, 0.5, 0.25, 0.25), rates);
        assertEquals(0.125f, optimizer.learningRate());
    }
}
