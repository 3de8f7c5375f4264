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
                {"format": "rnn4j.spec/1", "input": {"shape": [5, 1]}, "layers": [{"type": "Conv1D", "units": 3}]}""");
        assertEquals("$.layers[0].type: unknown layer type 'Conv1D'; known: " + SpecJson.LAYER_TYPES, msg);
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
}
