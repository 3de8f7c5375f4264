package org.rnn4j.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.LearningRateSchedule;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.BidirectionalSpec;
import org.rnn4j.api.layers.Constraint;
import org.rnn4j.api.layers.DenseSpec;
import org.rnn4j.api.layers.Initializer;
import org.rnn4j.api.layers.LstmSpec;
import org.rnn4j.api.layers.Regularizer;
import org.rnn4j.api.model.ModelSpec;

/**
 * Each field that reading a Keras file used to substitute silently is now honoured or refused:
 * Nadam (was Adam with defaults), Adam's clipnorm and amsgrad (dropped), an unknown loss such as
 * msle (became MSE), unroll (ignored), truncated_normal (read as plain normal) and Bidirectional
 * merge_mode null (read as concat). Training-only fields rnn4j lacks load for prediction and make
 * {@code fit} refuse the model (its {@code trainingIssues}).
 */
class KerasTrainingConfigTest {

    /** A Keras 2 model.save JSON: one LSTM(4) -> Dense(1) with {@code layerExtra} in the LSTM config. */
    private static String keras2(String layerExtra, String trainingConfig) {
        return """
                {"class_name": "Sequential", "config": {"name": "m", "layers": [
                  {"class_name": "LSTM", "config": {"name": "lstm", "batch_input_shape": [null, 6, 2], "units": 4%s}},
                  {"class_name": "Dense", "config": {"name": "dense", "units": 1}}]},
                 "keras_version": "2.15.0", "backend": "tensorflow"%s}""".formatted(layerExtra, trainingConfig == null ? "" : ", \"training_config\": " + trainingConfig);
    }

    private static String trainingConfig(String loss, String optimizer) {
        return """
                {"loss": %s, "metrics": ["mae"], "weighted_metrics": null, "loss_weights": null,
                 "optimizer_config": %s}""".formatted(loss, optimizer);
    }

    private static ModelSpec read(String json) {
        return KerasJson.read(json, "model.json");
    }

    @Test
    void nadamIsHonouredWithItsHyperParameters() {
        ModelSpec spec = read(keras2("", trainingConfig("\"mse\"", """
                {"class_name": "Nadam", "config": {"name": "Nadam", "learning_rate": 0.002, "beta_1": 0.85,
                 "beta_2": 0.99, "epsilon": 1e-6, "weight_decay": null, "clipnorm": null, "global_clipnorm": null,
                 "clipvalue": null, "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null,
                 "jit_compile": true, "is_legacy_optimizer": false}}""")));
        assertEquals(
                new OptimizerSpec.Nadam(0.002, 0.85, 0.99, 1e-6, OptimizerSpec.Common.NONE),
                spec.compile().optimizer());
        assertEquals(List.of(), spec.trainingIssues());
    }

    @Test
    void keras2LegacyNadamScheduleIsATrainingIssueNotAnotherNadam() {
        ModelSpec spec = read(keras2("", trainingConfig("\"mse\"", """
                {"class_name": "Nadam", "config": {"name": "Nadam", "learning_rate": 0.002, "beta_1": 0.9,
                 "beta_2": 0.999, "epsilon": 1e-7, "schedule_decay": 0.004}}""")));
        assertEquals(1, spec.trainingIssues().size(), spec.trainingIssues().toString());
        assertTrue(
                spec.trainingIssues().get(0).startsWith("$.training_config.optimizer_config.config.schedule_decay:"));
        assertEquals(CompileSpec.defaults(), spec.compile(), "nothing half-read stands in for the file's settings");
    }

    @Test
    void adamClipnormAndAmsgradAreHonoured() {
        ModelSpec spec = read(keras2("", trainingConfig("\"mse\"", """
                {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.01, "beta_1": 0.9,
                 "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": true, "clipnorm": 1.0}}""")));
        OptimizerSpec.Adam adam = (OptimizerSpec.Adam) spec.compile().optimizer();
        assertTrue(adam.amsgrad());
        assertEquals(1.0, adam.common().clipnorm());
        assertEquals(0.01, adam.learningRate());
    }

    @Test
    void keras2DecayIsTheInverseTimeDecayKerasComputes() {
        ModelSpec spec = read(keras2("", trainingConfig("\"mse\"", """
                {"class_name": "SGD", "config": {"name": "SGD", "lr": 0.1, "decay": 0.01, "momentum": 0.5, "nesterov": false}}""")));
        OptimizerSpec sgd = spec.compile().optimizer();
        assertEquals(
                new LearningRateSchedule.InverseTimeDecay(0.1, 1, 0.01, false),
                sgd.common().schedule());
        assertEquals(0.5, ((OptimizerSpec.Sgd) sgd).momentum());
    }

    @Test
    void keras3ScheduleObjectsAreRead() {
        String json = """
                {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
                  {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3], "dtype": "float32", "name": "in"}},
                  {"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 1}}]},
                 "compile_config": {"loss": "mean_absolute_error", "metrics": null, "loss_weights": null,
                   "weighted_metrics": null, "run_eagerly": false, "steps_per_execution": 1, "jit_compile": false,
                   "optimizer": {"module": "keras.optimizers", "class_name": "AdamW", "config": {"name": "adamw",
                     "learning_rate": {"module": "keras.optimizers.schedules", "class_name": "CosineDecay",
                       "config": {"initial_learning_rate": 0.0, "decay_steps": 100, "alpha": 0.0, "name": "CosineDecay",
                                  "warmup_target": 0.001, "warmup_steps": 10}, "registered_name": null},
                     "weight_decay": 0.004, "clipnorm": null, "global_clipnorm": 0.5, "clipvalue": null, "use_ema": false,
                     "ema_momentum": 0.99, "ema_overwrite_frequency": null, "loss_scale_factor": null,
                     "gradient_accumulation_steps": null, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false},
                     "registered_name": null}}}""";
        ModelSpec spec = read(json);
        assertEquals(List.of(), spec.trainingIssues());
        OptimizerSpec opt = spec.compile().optimizer();
        assertTrue(opt instanceof OptimizerSpec.AdamW);
        assertEquals(
                new LearningRateSchedule.CosineDecay(0.0, 100, 0.0, 0.001, 10),
                opt.common().schedule());
        assertEquals(0.5, opt.common().globalClipnorm());
        assertEquals(0.004, opt.common().weightDecay());
        assertEquals(Loss.MEAN_ABSOLUTE_ERROR, spec.compile().loss());
    }

    @Test
    void msleIsHonoured() {
        ModelSpec spec = read(keras2("", trainingConfig("\"msle\"", "{\"class_name\": \"SGD\", \"config\": {}}")));
        assertEquals(Loss.MEAN_SQUARED_LOGARITHMIC_ERROR, spec.compile().loss());
        assertEquals(List.of(Metric.MAE), spec.compile().metrics());
    }

    @Test
    void anUnknownLossIsATrainingIssueAndNeverMse() {
        ModelSpec spec = read(keras2("", trainingConfig("\"dice\"", "{\"class_name\": \"SGD\", \"config\": {}}")));
        assertEquals(
                List.of("$.training_config.loss: unknown loss 'dice'; known: " + Loss.names()), spec.trainingIssues());
        assertEquals(1 + 4 * 4 * (2 + 4 + 1) + 4, spec.parameterCount(), "the model itself loads");
    }

    @Test
    void anUnknownOptimizerAndOptimizerFieldAreTrainingIssues() {
        ModelSpec ftrl = read(keras2("", trainingConfig("\"mse\"", "{\"class_name\": \"Ftrl\", \"config\": {}}")));
        assertTrue(
                ftrl.trainingIssues().get(0).contains("optimizer 'Ftrl' is not one rnn4j has"),
                ftrl.trainingIssues().toString());
        ModelSpec ema = read(keras2("", trainingConfig("\"mse\"", """
                {"class_name": "Adam", "config": {"use_ema": true, "lookahead": 3}}""")));
        assertEquals(2, ema.trainingIssues().size(), ema.trainingIssues().toString());
        assertTrue(ema.trainingIssues().get(0).contains("use_ema: is true"));
        assertTrue(ema.trainingIssues().get(1).contains("lookahead: is not an optimizer option rnn4j knows"));
    }

    @Test
    void lossObjectsKeepFromLogitsLabelSmoothingAndDelta() {
        ModelSpec bce = read(keras2("", trainingConfig("""
                {"class_name": "BinaryCrossentropy", "config": {"reduction": "auto", "name": "binary_crossentropy",
                 "from_logits": true, "label_smoothing": 0.1, "axis": -1}}""", "{\"class_name\": \"SGD\", \"config\": {}}")));
        assertEquals(Loss.BINARY_CROSSENTROPY, bce.compile().loss());
        assertTrue(bce.compile().lossOptions().fromLogits());
        assertEquals(0.1, bce.compile().lossOptions().labelSmoothing());
        ModelSpec huber = read(keras2("", trainingConfig("""
                {"module": "keras.losses", "class_name": "Huber", "config": {"name": "huber_loss",
                 "reduction": "sum_over_batch_size", "delta": 0.5}}""", "{\"class_name\": \"SGD\", \"config\": {}}")));
        assertEquals(0.5, huber.compile().lossOptions().delta());
        ModelSpec sum = read(keras2("", trainingConfig("""
                {"class_name": "MeanSquaredError", "config": {"reduction": "sum"}}""", "{\"class_name\": \"SGD\", \"config\": {}}")));
        assertTrue(
                sum.trainingIssues().get(0).contains("reduction: is 'sum'"),
                sum.trainingIssues().toString());
    }

    @Test
    void unrollIsHonouredAndRefusedWithoutATimeLength() {
        ModelSpec spec = read(keras2(", \"unroll\": true", null));
        assertTrue(((LstmSpec) spec.layers().get(0)).options().unroll());
        assertEquals(spec, SpecJson.read(SpecJson.write(spec)), "unroll survives the rnn4j spec");
        assertEquals(spec.layers(), KerasJson.read(KerasTopology.toJson(spec)).layers(), "and the saved topology");
        String anyLength = keras2(", \"unroll\": true", null).replace("[null, 6, 2]", "[null, null, 2]");
        SpecException e = assertThrows(SpecException.class, () -> read(anyLength));
        assertTrue(e.getMessage().contains("sets unroll, which needs a known time length"), e.getMessage());
    }

    @Test
    void truncatedNormalIsHonoured() {
        ModelSpec spec = read(keras2(
                ", \"kernel_initializer\": {\"class_name\": \"TruncatedNormal\", \"config\": {\"mean\": 0.1, \"stddev\": 0.2, \"seed\": null}}",
                null));
        assertEquals(
                new Initializer.TruncatedNormal(0.1, 0.2),
                ((LstmSpec) spec.layers().get(0)).options().kernelInitializer());
        assertEquals(spec, SpecJson.read(SpecJson.write(spec)));
    }

    @Test
    void bidirectionalMergeModeNullIsRefusedNotConcatenated() {
        String json = """
                {"class_name": "Sequential", "config": {"name": "b", "layers": [
                  {"class_name": "Bidirectional", "config": {"name": "bidirectional", "batch_input_shape": [null, 5, 2],
                   "merge_mode": null, "layer": {"class_name": "LSTM", "config": {"name": "lstm", "units": 3}}}}]},
                 "keras_version": "2.15.0"}""";
        SpecException e = assertThrows(SpecException.class, () -> read(json));
        assertEquals(
                "$.config.layers[0].config.merge_mode: is null, which makes Bidirectional return its two directions"
                        + " as two outputs; rnn4j models have one output: save the model with merge_mode concat, sum,"
                        + " mul or ave",
                e.getMessage());
        ModelSpec concat = read(json.replace("\"merge_mode\": null, ", ""));
        assertEquals(
                org.rnn4j.api.layers.MergeMode.CONCAT,
                ((BidirectionalSpec) concat.layers().get(0)).mergeMode(),
                "an absent merge_mode is Keras's default, concat");
    }

    @Test
    void regularizersAndConstraintsAreRead() {
        ModelSpec spec = read(keras2("""
                , "kernel_regularizer": {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.01}},
                  "recurrent_regularizer": "l1",
                  "activity_regularizer": {"class_name": "L2", "config": {"l2": 0.5}},
                  "kernel_constraint": {"class_name": "MaxNorm", "config": {"max_value": 3, "axis": 0}},
                  "bias_constraint": {"class_name": "NonNeg", "config": {}}""", null));
        var rules = ((LstmSpec) spec.layers().get(0)).options().rules();
        assertEquals(Regularizer.l2(0.01), rules.kernelRegularizer());
        assertEquals(Regularizer.l1(0.01), rules.recurrentRegularizer(), "Keras's L1 default");
        assertEquals(Regularizer.l2(0.5), rules.activityRegularizer());
        assertEquals(new Constraint.MaxNorm(3, List.of(0)), rules.kernelConstraint());
        assertEquals(new Constraint.NonNeg(), rules.biasConstraint());
        assertEquals(Regularizer.l2(0.01), spec.weights().get(0).regularizer());
        assertEquals(
                spec.layers(), KerasJson.read(KerasTopology.toJson(spec)).layers(), "the saved topology keeps them");
    }

    @Test
    void unsupportedTrainingOnlyLayerFieldsAreIssuesButTheModelPredicts() {
        ModelSpec spec = read(keras2("""
                , "kernel_regularizer": {"class_name": "OrthogonalRegularizer", "config": {"factor": 0.01}},
                  "trainable": false""", null));
        assertEquals(2, spec.trainingIssues().size(), spec.trainingIssues().toString());
        assertTrue(spec.trainingIssues().get(0).contains("trainable: is false"));
        assertTrue(spec.trainingIssues().get(1).contains("'OrthogonalRegularizer' is not one rnn4j has"));
        assertNull(((LstmSpec) spec.layers().get(0)).options().rules().kernelRegularizer());
        assertFalse(spec.withCompile(CompileSpec.defaults()).trainingIssues().size() > 0, "compiling anew clears them");
        assertEquals(spec, SpecJson.read(SpecJson.write(spec)), "the issues survive a save");
    }

    @Test
    void denseTakesItsRegularizers() {
        String json = """
                {"class_name": "Sequential", "config": {"name": "d", "layers": [
                  {"class_name": "Dense", "config": {"name": "d", "batch_input_shape": [null, 3], "units": 2,
                   "bias_regularizer": {"class_name": "L1", "config": {"l1": 0.2}}}}]}, "keras_version": "2.15.0"}""";
        assertEquals(
                Regularizer.l1(0.2),
                ((DenseSpec) read(json).layers().get(0)).rules().biasRegularizer());
    }
}
