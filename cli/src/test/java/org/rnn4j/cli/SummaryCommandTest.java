package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.zoo.Zoo;

class SummaryCommandTest {
    @TempDir
    Path tmp;

    /** Keras's own counts for the same layers. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "simple_rnn_10.json       | simple_rnn (SimpleRNN) | 120    | Total params: 131 ",
                "simple_rnn_10.json       | dense (Dense)          | 11     | Total params: 131 ",
                "lstm_50.json             | lstm (LSTM)            | 10,400 | Total params: 30,651",
                "lstm_50.json             | lstm_1 (LSTM)          | 20,200 | Total params: 30,651",
                "gru_50_reset_after.json  | gru (GRU)              | 7,950  | Total params: 8,001",
                "gru_50_reset_before.json | gru (GRU)              | 7,800  | Total params: 7,851",
                "embedding_1000_64.json   | embedding (Embedding)  | 64,000 | Total params: 164,106"
            })
    void printsKerasParameterCounts(String file, String layer, String params, String total) {
        CliRun r = CliRun.of("summary", CliRun.exampleSpec(file).toString()).ok();
        String row = r.out()
                .lines()
                .filter(l -> l.startsWith(" " + layer))
                .findFirst()
                .orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(row.strip().endsWith(" " + params), row);
        assertTrue(r.out().contains(total.strip() + " ("), r.out());
    }

    @Test
    void summarisesASpecWithADataBlock() {
        CliRun r = CliRun.of("summary", CliRun.exampleSpec("ohlcv_direct5.json").toString())
                .ok();
        // LSTM(32) on 5 columns: 4 * 32 * (5 + 32 + 1) = 4864; Dense(5): 32 * 5 + 5 = 165.
        assertTrue(r.out().contains("Total params: 5,029"), r.out());
    }

    @Test
    void summarisesASavedModelDirectory() throws Exception {
        Path dir = CliRun.savedModel(tmp.resolve("model"), Zoo.get("stock-lstm").spec(), null, null);
        CliRun r = CliRun.of("summary", dir.toString()).ok();
        assertTrue(r.out().contains("Total params: 30,651"), r.out());
        assertTrue(CliRun.of("summary", dir.resolve("model.json").toString())
                .ok()
                .out()
                .contains("Total params: 30,651"));
    }

    @Test
    void summarisesAKerasModelJson() throws Exception {
        Path keras = tmp.resolve("keras.json");
        Files.writeString(keras, """
                {"class_name": "Sequential", "keras_version": "2.15.0", "backend": "tensorflow",
                 "config": {"name": "sequential", "layers": [
                   {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 50, 1], "dtype": "float32", "name": "input_1"}},
                   {"class_name": "SimpleRNN", "config": {"name": "simple_rnn", "units": 10, "activation": "tanh", "use_bias": true,
                     "return_sequences": false}},
                   {"class_name": "Dense", "config": {"name": "dense", "units": 1, "activation": "linear", "use_bias": true}}]}}
                """);
        CliRun r = CliRun.of("summary", keras.toString());
        r.ok();
        assertTrue(r.out().contains("Total params: 131"), r.out());
    }

    @Test
    void missingFile() {
        CliRun.of("summary", tmp.resolve("nope.json").toString())
                .badInput("no such file or directory: " + tmp.resolve("nope.json"));
    }

    @Test
    void directoryThatIsNotAModel() {
        CliRun.of("summary", tmp.toString()).badInput("is not a model directory");
    }

    @Test
    void malformedJson() throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "{\"format\": \"rnn4j.spec/1\", \"layers\": [");
        CliRun.of("summary", f.toString()).badInput("is not valid JSON");
    }

    @Test
    void unknownFieldIsNamed() throws Exception {
        CliRun.of(
                        "summary",
                        spec("{\"type\": \"LSTM\", \"units\": 5, \"colour\": \"red\"}")
                                .toString())
                .badInput("colour");
    }

    @Test
    void unknownLayerTypeListsTheKnownOnes() throws Exception {
        CliRun.of("summary", spec("{\"type\": \"Transformer\", \"units\": 5}").toString())
                .badInput("unknown layer type 'Transformer'; known: [SimpleRNN, LSTM, GRU");
    }

    @Test
    void negativeUnits() throws Exception {
        CliRun.of("summary", spec("{\"type\": \"LSTM\", \"units\": -5}").toString())
                .badInput("lstm.units");
    }

    @Test
    void missingInputShape() throws Exception {
        Path f = tmp.resolve("noinput.json");
        Files.writeString(f, "{\"format\": \"rnn4j.spec/1\", \"layers\": [{\"type\": \"Dense\", \"units\": 1}]}");
        CliRun.of("summary", f.toString()).badInput("$.input");
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        CliRun r = CliRun.of(
                "summary",
                "--verbose",
                spec("{\"type\": \"LSTM\", \"units\": -5}").toString());
        assertTrue(
                r.code() == 2 && r.err().startsWith("rnn4j: error: ") && r.err().contains("\tat "), r.err());
    }

    private Path spec(String layer) throws Exception {
        Path f = tmp.resolve("spec.json");
        Files.writeString(
                f,
                "{\"format\": \"rnn4j.spec/1\", \"input\": {\"shape\": [50, 1]}, \"layers\": [" + layer
                        + ", {\"type\": \"Dense\", \"units\": 1}]}");
        return f;
    }
}
