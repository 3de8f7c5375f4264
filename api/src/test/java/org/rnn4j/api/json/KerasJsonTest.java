package org.rnn4j.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.conformance.OracleCases;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.GruSpec;
import org.rnn4j.api.layers.LstmSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;

class KerasJsonTest {

    static List<String> cases() {
        return OracleCases.forwardCases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyReferenceTopologyImportsWithTheManifestsWeights(String name) {
        JsonNode root = OracleCases.json("oracle/cases/" + name + "/model.json");
        ModelSpec spec = KerasJson.read(root);
        long manifest = 0;
        for (JsonNode w : root.get("weightsManifest").get(0).get("weights")) {
            long n = 1;
            for (JsonNode d : w.get("shape")) {
                n *= d.asLong();
            }
            manifest += n;
        }
        assertEquals(manifest, spec.parameterCount());
        List<String> names = spec.weights().stream().map(WeightSpec::name).toList();
        List<String> manifestNames = new java.util.ArrayList<>();
        root.get("weightsManifest")
                .get(0)
                .get("weights")
                .forEach(w -> manifestNames.add(w.get("name").asText()));
        assertEquals(manifestNames, names, "weight names and order follow the manifest");
    }

    @Test
    void tensorFlowJsHardSigmoidIsTheKeras2One() {
        ModelSpec spec = KerasJson.read(OracleCases.json("oracle/cases/lstm_last/model.json"));
        assertEquals(
                Activation.HARD_SIGMOID_KERAS2,
                ((LstmSpec) spec.layers().get(0)).options().recurrentActivation());
    }

    @Test
    void keras3ConfigJsonWithInputLayerAndKeras3HardSigmoid() {
        String json = """
                {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
                  "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}},
                  "layers": [
                    {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 50, 1], "dtype": "float32", "sparse": false, "name": "input_layer"}},
                    {"module": "keras.layers", "class_name": "GRU", "config": {"name": "gru", "trainable": true, "units": 16,
                      "activation": "tanh", "recurrent_activation": "hard_sigmoid", "use_bias": true,
                      "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}},
                      "recurrent_initializer": {"module": "keras.initializers", "class_name": "Orthogonal", "config": {"seed": null, "gain": 1.0}},
                      "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}},
                      "kernel_regularizer": null, "dropout": 0.0, "recurrent_dropout": 0.0, "return_sequences": false,
                      "return_state": false, "go_backwards": false, "stateful": false, "unroll": false, "reset_after": true, "seed": null}},
                    {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 1, "activation": "linear", "use_bias": true}}
                  ]},
                 "build_config": {"input_shape": [null, 50, 1]}}""";
        ModelSpec spec = KerasJson.read(json, "config.json");
        GruSpec gru = (GruSpec) spec.layers().get(0);
        assertEquals(Activation.HARD_SIGMOID, gru.options().recurrentActivation());
        assertTrue(gru.resetAfter());
        assertEquals(List.of(50, 1), spec.inputShape());
        assertEquals(3 * 16 * (1 + 16 + 2) + 17, spec.parameterCount());
    }

    @Test
    void keras2ToJsonWithBatchInputShape() {
        String json = """
                {"class_name": "Sequential", "config": {"name": "sequential_1", "layers": [
                  {"class_name": "SimpleRNN", "config": {"name": "simple_rnn", "batch_input_shape": [null, 50, 1], "units": 10, "activation": "tanh"}},
                  {"class_name": "Dense", "config": {"name": "dense", "units": 1}}]},
                 "keras_version": "2.15.0", "backend": "tensorflow"}""";
        ModelSpec spec = KerasJson.read(json, "model.json");
        assertEquals(131, spec.parameterCount());
        assertEquals("sequential_1", spec.name());
    }

    @Test
    void unsupportedOptionsAreErrorsNotSilentlyDropped() {
        String stateful = """
                {"class_name": "Sequential", "config": {"layers": [
                  {"class_name": "LSTM", "config": {"batch_input_shape": [8, 5, 1], "units": 3, "stateful": true}}]}}""";
        SpecException e = assertThrows(SpecException.class, () -> KerasJson.read(stateful, "m.json"));
        assertEquals(
                "$.config.layers[0].config.stateful: is true, which rnn4j does not support; save the model with stateful=False",
                e.getMessage());
        String conv = """
                {"class_name": "Sequential", "config": {"layers": [{"class_name": "Conv2D", "config": {"batch_input_shape": [null, 5, 1]}}]}}""";
        e = assertThrows(SpecException.class, () -> KerasJson.read(conv, "m.json"));
        assertTrue(e.getMessage().contains("unsupported Keras layer 'Conv2D'"), e.getMessage());
        String functional = """
                {"class_name": "Functional", "config": {"layers": []}}""";
        e = assertThrows(SpecException.class, () -> KerasJson.read(functional, "m.json"));
        assertTrue(e.getMessage().contains("only Sequential models are supported"), e.getMessage());
    }

    @Test
    void exportedTopologyReadsBackToTheSameModel() {
        for (String name : cases()) {
            ModelSpec spec = KerasJson.read(OracleCases.json("oracle/cases/" + name + "/model.json"));
            ModelSpec again = KerasJson.read(KerasTopology.toJson(spec));
            assertEquals(spec.layers(), again.layers(), name);
            assertEquals(spec.inputShape(), again.inputShape(), name);
        }
    }
}
