package org.rnn4j.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Initializer;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;

class SpecJsonTest {

    @Test
    void everyLayerTypeAndOptionRoundTrips() {
        ModelSpec float32 = Sequential.name("all_floats")
                .input(12, 3)
                .add(Layers.simpleRnn(5)
                        .returnSequences(true)
                        .activation(Activation.RELU)
                        .useBias(false)
                        .dropout(0.1)
                        .recurrentDropout(0.2))
                .add(Layers.lstm(6)
                        .unitForgetBias(false)
                        .returnSequences(true)
                        .goBackwards(true)
                        .recurrentActivation(Activation.HARD_SIGMOID_KERAS2))
                .add(Layers.gru(4).resetAfter(false).returnSequences(true).recurrentActivation(Activation.HARD_SIGMOID))
                .add(Layers.bidirectional(Layers.lstm(3).returnSequences(true), MergeMode.AVE))
                .add(Layers.timeDistributed(Layers.dense(4, Activation.TANH).useBias(false)))
                .add(Layers.batchNormalization())
                .add(Layers.dropout(0.25))
                .add(Layers.gru(2)
                        .withOptions(Layers.gru(2)
                                .options()
                                .withInitializers(
                                        new Initializer.RandomNormal(0, 0.1),
                                        new Initializer.Orthogonal(2),
                                        new Initializer.Constant(0.5))))
                .add(Layers.dense(1, Activation.SIGMOID).withName("out"))
                .compile(new CompileSpec(
                        Loss.BINARY_CROSSENTROPY,
                        new OptimizerSpec.RmsProp(0.01, 0.8, 0.1, 1e-6),
                        List.of(Metric.ACCURACY, Metric.RMSE)))
                .fit(new FitOptions(7, 16, 0.2, false, 99))
                .build();
        assertEquals(float32, SpecJson.read(SpecJson.write(float32)));
        ModelSpec tokens = Sequential.name("tokens")
                .tokenInput(-1)
                .add(Layers.embedding(30, 8).maskZero(true))
                .add(Layers.gru(4).resetAfter(true))
                .add(Layers.dense(30, Activation.SOFTMAX))
                .compile(new CompileSpec(
                        Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
                        new OptimizerSpec.Sgd(0.1, 0.9, true),
                        List.of(Metric.ACCURACY)))
                .build();
        assertEquals(tokens, SpecJson.read(SpecJson.write(tokens)));
    }

    @Test
    void keras3DefaultsApplyToOmittedFields() {
        ModelSpec spec = SpecJson.read("""
                {"format": "rnn4j.spec/1", "input": {"shape": [50, 1]},
                 "layers": [{"type": "GRU", "units": 50}, {"type": "Dense", "units": 1}]}""");
        assertEquals(
                Sequential.builder()
                        .input(50, 1)
                        .add(Layers.gru(50))
                        .add(Layers.dense(1))
                        .build(),
                spec);
    }

    private static String error(String json) {
        return assertThrows(SpecException.class, () -> SpecJson.read(json)).getMessage();
    }

    @Test
    void unknownFieldNamesItsPathAndTheKnownFields() {
        String msg = error("""
                {"format": "rnn4j.spec/1", "input": {"shape": [5, 1]}, "layers": [{"type": "LSTM", "units": 3, "hidden_size": 4}]}""");
        assertTrue(msg.startsWith("$.layers[0].hidden_size: unknown field 'hidden_size'; known fields here: ["), msg);
        assertTrue(msg.contains("units"), msg);
    }

    @Test
    void truncatedBpttIsAFitFieldThatRoundTrips() {
        ModelSpec spec = SpecJson.read("""
                {"format": "rnn4j.spec/1", "input": {"shape": [null, 1]},
                 "layers": [{"type": "LSTM", "units": 4, "return_sequences": true}],
                 "fit": {"tbptt": {"forward": 200, "backward": 50}}}""");
        assertEquals(new FitOptions.Tbptt(200, 50), spec.fit().tbptt());
        assertEquals(spec, SpecJson.read(SpecJson.write(spec)));
        ModelSpec same = SpecJson.read("""
                {"format": "rnn4j.spec/1", "input": {"shape": [null, 1]},
                 "layers": [{"type": "LSTM", "units": 4, "return_sequences": true}],
                 "fit": {"tbptt": {"forward": 100}}}""");
        assertEquals(FitOptions.Tbptt.of(100), same.fit().tbptt(), "backward defaults to forward");
        assertEquals(
                null,
                SpecJson.read(SpecJson.write(same.withFit(FitOptions.defaults())))
                        .fit()
                        .tbptt());
        assertEquals("$.fit.tbptt: fit.tbptt.backward must be in [1, forward = 10], got 20", error("""
                {"format": "rnn4j.spec/1", "input": {"shape": [null, 1]}, "layers": [{"type": "LSTM", "units": 4}],
                 "fit": {"tbptt": {"forward": 10, "backward": 20}}}"""));
        assertEquals("$.fit.tbptt.forward: is required (an integer)", error("""
                {"format": "rnn4j.spec/1", "input": {"shape": [null, 1]}, "layers": [{"type": "LSTM", "units": 4}],
                 "fit": {"tbptt": {"backward": 20}}}"""));
    }

    @Test
    void unknownLayerTypeListsTheKnownOnes() {
        String msg = error("""
                {"format": "rnn4j.spec/1", "input": {"shape": [5, 1]}, "layers": [{"type": "Conv2D", "units": 3}]}""");
        assertEquals("$.layers[0].type: unknown layer type 'Conv2D'; known: " + SpecJson.LAYER_TYPES, msg);
    }

    @Test
    void negativeUnitsWrongTypesMissingInputAndBadNesting() {
        assertEquals("$.layers[0]: lstm.units must be a positive int, got -4", error("""
                {"format": "rnn4j.spec/1", "input": {"shape": [5, 1]}, "layers": [{"type": "LSTM", "units": -4}]}"""));
        assertEquals("$.layers[0].units: must be an integer, got string \"ten\"", error("""
                {"format": "rnn4j.spec/1", "input": {"shape": [5, 1]}, "layers": [{"type": "LSTM", "units": "ten"}]}"""));
        assertEquals("$.input: is required (an object)", error("""
                {"format": "rnn4j.spec/1", "layers": [{"type": "Dense", "units": 1}]}"""));
        assertEquals("$.layers[0].layer: Bidirectional wraps a SimpleRNN, LSTM or GRU, got Dense", error("""
                {"format": "rnn4j.spec/1", "input": {"shape": [5, 1]},
                 "layers": [{"type": "Bidirectional", "layer": {"type": "Dense", "units": 2}}]}"""));
        assertTrue(error("{\"format\": \"rnn4j.spec/1\", ").startsWith("spec is not valid JSON"));
        assertTrue(error("""
                {"format": "rnn4j.spec/1", "input": {"shape": [5, 1]}, "layers": [{"type": "SimpleRNN", "units": 3}, {"type": "LSTM", "units": 2}]}""").contains("set returnSequences(true) on 'simple_rnn'"));
    }

    @Test
    void formatIsRequiredAndVersioned() {
        assertTrue(error("{\"input\": {\"shape\": [1]}, \"layers\": []}").startsWith("$.format: is required"));
        assertEquals(
                "$.format: unsupported format 'rnn4j.spec/9'; this version reads \"rnn4j.spec/1\"",
                error("{\"format\": \"rnn4j.spec/9\"}"));
    }

    @Test
    void absurdSizesAreRejectedBeforeAllocation() {
        String msg = error("""
                {"format": "rnn4j.spec/1", "input": {"shape": [100]}, "layers": [{"type": "Embedding", "input_dim": 1000000000000, "output_dim": 8}]}""");
        assertEquals("$.layers[0].input_dim: is out of range: 1000000000000 (at most 2147483647)", msg);
    }

    @Test
    void optimizersSchedulesLossOptionsRegularizersAndConstraintsRoundTrip() {
        var sched = List.<org.rnn4j.api.compile.LearningRateSchedule>of(
                new org.rnn4j.api.compile.LearningRateSchedule.ExponentialDecay(0.1, 10, 0.9, true),
                new org.rnn4j.api.compile.LearningRateSchedule.InverseTimeDecay(0.1, 5, 0.5, false),
                new org.rnn4j.api.compile.LearningRateSchedule.PiecewiseConstantDecay(
                        List.of(10.0, 20.0), List.of(0.1, 0.05, 0.01)),
                new org.rnn4j.api.compile.LearningRateSchedule.PolynomialDecay(0.1, 100, 0.001, 2, true),
                new org.rnn4j.api.compile.LearningRateSchedule.CosineDecay(0, 100, 0.1, 0.001, 10));
        List<OptimizerSpec> optimizers = List.of(
                new OptimizerSpec.Adam().withAmsgrad(true).withCommon(OptimizerSpec.Common.NONE.withClipnorm(1)),
                new OptimizerSpec.AdamW(),
                new OptimizerSpec.Nadam().withCommon(OptimizerSpec.Common.NONE.withGlobalClipnorm(2)),
                new OptimizerSpec.Adagrad(),
                new OptimizerSpec.Adamax().withCommon(OptimizerSpec.Common.NONE.withClipvalue(0.5)),
                new OptimizerSpec.RmsProp().withCentered(true),
                new OptimizerSpec.Sgd().withCommon(OptimizerSpec.Common.NONE.withWeightDecay(0.01)));
        var rules = org.rnn4j.api.layers.WeightRules.NONE
                .withKernelRegularizer(org.rnn4j.api.layers.Regularizer.l1l2(0.01, 0.02))
                .withBiasRegularizer(org.rnn4j.api.layers.Regularizer.l1(0.1))
                .withActivityRegularizer(org.rnn4j.api.layers.Regularizer.l2(0.3))
                .withKernelConstraint(new org.rnn4j.api.layers.Constraint.MaxNorm(2, List.of(0)))
                .withBiasConstraint(new org.rnn4j.api.layers.Constraint.NonNeg());
        for (int i = 0; i < optimizers.size(); i++) {
            OptimizerSpec opt = optimizers.get(i);
            if (i < sched.size()) {
                opt = opt.withSchedule(sched.get(i));
            }
            ModelSpec spec = Sequential.name("rt" + i)
                    .input(6, 3)
                    .add(Layers.lstm(4)
                            .withOptions(Layers.lstm(4)
                                    .options()
                                    .withUnroll(true)
                                    .withRules(rules.withRecurrentConstraint(
                                            new org.rnn4j.api.layers.Constraint.UnitNorm(List.of(0, 1))))))
                    .add(Layers.dense(2)
                            .withRules(rules.withKernelConstraint(
                                    new org.rnn4j.api.layers.Constraint.MinMaxNorm(0.1, 2, 0.5, List.of(0)))))
                    .compile(new CompileSpec(
                            Loss.CATEGORICAL_CROSSENTROPY,
                            opt,
                            List.of(Metric.AUC, Metric.TOP_K_CATEGORICAL_ACCURACY, Metric.R2_SCORE),
                            new org.rnn4j.api.compile.LossOptions(true, 0.1, 1)))
                    .build();
            assertEquals(spec, SpecJson.read(SpecJson.write(spec)), opt.toString());
        }
    }

    @Test
    void newOptionsAreCheckedAndNamed() {
        String base = """
                {"format": "rnn4j.spec/1", "input": {"shape": [3]}, "layers": [{"type": "Dense", "units": 1%s}],
                 "compile": {"loss": %s, "optimizer": %s}}""";
        SpecException e = assertThrows(
                SpecException.class,
                () -> SpecJson.read(base.formatted("", "\"mse\"", "{\"type\": \"adam\", \"clip_norm\": 1}")));
        assertTrue(
                e.getMessage().startsWith("$.compile.optimizer.clip_norm: unknown field 'clip_norm'"), e.getMessage());
        e = assertThrows(
                SpecException.class,
                () -> SpecJson.read(base.formatted(
                        "", "\"mse\"", "{\"type\": \"sgd\", \"learning_rate\": {\"type\": \"step_decay\"}}")));
        assertTrue(
                e.getMessage().startsWith("$.compile.optimizer.learning_rate.type: unknown learning-rate schedule"),
                e.getMessage());
        e = assertThrows(
                SpecException.class,
                () -> SpecJson.read(base.formatted("", "{\"type\": \"mse\", \"from_logits\": true}", "\"sgd\"")));
        assertTrue(e.getMessage().contains("loss mean_squared_error takes no from_logits"), e.getMessage());
        e = assertThrows(
                SpecException.class,
                () -> SpecJson.read(base.formatted(
                        ", \"kernel_constraint\": {\"type\": \"max_norm\", \"max\": 2}", "\"mse\"", "\"sgd\"")));
        assertTrue(e.getMessage().startsWith("$.layers[0].kernel_constraint.max: unknown field 'max'"), e.getMessage());
    }

    @Test
    void theLayersNextToRnnsRoundTrip() {
        var rules = org.rnn4j.api.layers.WeightRules.NONE
                .withKernelRegularizer(org.rnn4j.api.layers.Regularizer.l2(0.01))
                .withKernelConstraint(new org.rnn4j.api.layers.Constraint.MaxNorm(3, List.of(0, 1)));
        ModelSpec spec = Sequential.name("next_to_rnns")
                .input(40, 3)
                .add(Layers.masking(-1))
                .add(Layers.conv1d(8, 3)
                        .withPadding(org.rnn4j.api.layers.Padding.CAUSAL)
                        .withDilationRate(2)
                        .activation(Activation.RELU)
                        .withRules(rules))
                .add(new org.rnn4j.api.layers.Pooling1DSpec(
                        "pool", org.rnn4j.api.layers.Pooling1DSpec.Pool.MAX, 3, 2, org.rnn4j.api.layers.Padding.SAME))
                .add(Layers.averagePooling1d(2))
                .add(new org.rnn4j.api.layers.LayerNormalizationSpec(null, 1e-5, false, true))
                .add(Layers.lstm(6).returnSequences(true))
                .add(Layers.timeDistributed(Layers.layerNormalization()))
                .add(Layers.timeDistributed(Layers.activation(Activation.SOFTSIGN)))
                .add(new org.rnn4j.api.layers.GlobalPooling1DSpec(
                        null, org.rnn4j.api.layers.Pooling1DSpec.Pool.MAX, true))
                .add(Layers.flatten())
                .add(Layers.repeatVector(4))
                .add(Layers.globalAveragePooling1d())
                .add(Layers.dense(1))
                .build();
        assertEquals(spec, SpecJson.read(SpecJson.write(spec)));
        assertEquals(
                spec.layers(), KerasJson.read(KerasTopology.toJson(spec)).layers(), "and through a saved topology");
    }
}
