package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue over the real CLI: each case exits 2 with one line naming the problem
 * (no stack trace) and leaves nothing behind in the output folder.
 */
class BadInputCatalogIT {
    @TempDir
    static Path dir;

    private static Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static String spec(String layers) {
        return "{\"format\": \"rnn4j.spec/1\", \"input\": {\"shape\": [50, 1]}, \"layers\": [" + layers + "]}";
    }

    @BeforeAll
    static void files() throws Exception {
        file("malformed.json", "{\"format\": \"rnn4j.spec/1\", \"layers\": [");
        file("unknown-field.json", spec("{\"type\": \"LSTM\", \"units\": 4, \"hidden_size\": 4}"));
        file("wrong-type.json", spec("{\"type\": \"LSTM\", \"units\": \"four\"}"));
        file(
                "absurd-units.json",
                spec("{\"type\": \"LSTM\", \"units\": 1000000000}, {\"type\": \"Dense\", \"units\": 1}"));
        file(
                "absurd-vocab.json",
                "{\"format\": \"rnn4j.spec/1\", \"input\": {\"shape\": [10], \"dtype\": \"int32\"},"
                        + " \"layers\": [{\"type\": \"Embedding\", \"input_dim\": 1000000000000, \"output_dim\": 8}]}");
        file("no-chain.json", spec("{\"type\": \"SimpleRNN\", \"units\": 4}, {\"type\": \"LSTM\", \"units\": 2}"));
        file("tensor-mismatch.json", "{\"shape\": [1, 50, 1], \"dtype\": \"float32\", \"data\": [1, 2, 3]}");
        file("gaps.csv", "Date,Close\n2020-01-01,1\n2020-01-02,\n2020-01-03,3\n");
        file("text.csv", "Date,Close\n2020-01-01,1\n2020-01-02,abc\n2020-01-03,3\n");
        StringBuilder few = new StringBuilder("Date,Close\n");
        for (int i = 1; i <= 20; i++) {
            few.append(String.format("2020-01-%02d,%d%n", i, 100 + i));
        }
        file("few.csv", few.toString());
        file("empty.csv", "");
        Files.write(dir.resolve("garbage.json"), new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 0x7f, 0x10});
        Files.write(
                dir.resolve("latin1.json"),
                "{\"format\": \"rnn4j.spec/1\", \"name\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        Files.createDirectories(dir.resolve("not-a-model"));
        file("not-a-model/readme.txt", "hello");
    }

    static Stream<Arguments> cases() {
        String d = dir.toString();
        return Stream.of(
                Arguments.of("malformed JSON", List.of("summary", d + "/malformed.json"), "is not valid JSON"),
                Arguments.of(
                        "unknown field", List.of("summary", d + "/unknown-field.json"), "unknown field 'hidden_size'"),
                Arguments.of("wrong type", List.of("summary", d + "/wrong-type.json"), "must be an integer"),
                Arguments.of(
                        "units 10^9",
                        List.of("train", "--spec", d + "/absurd-units.json", "--out", d + "/out-units"),
                        "use fewer units"),
                Arguments.of(
                        "vocab 10^12", List.of("summary", d + "/absurd-vocab.json"), "is out of range: 1000000000000"),
                Arguments.of(
                        "shapes that do not chain",
                        List.of("summary", d + "/no-chain.json"),
                        "set returnSequences(true) on 'simple_rnn'"),
                Arguments.of(
                        "tensor length vs shape",
                        List.of("predict", "--model", d + "/not-a-model", "--input", d + "/tensor-mismatch.json"),
                        "has 3 values but shape [1,50,1] needs 50"),
                Arguments.of(
                        "CSV with gaps",
                        List.of(
                                "train",
                                "--zoo",
                                "stock-simple-rnn",
                                "--data",
                                d + "/gaps.csv",
                                "--out",
                                d + "/out-gaps"),
                        "line 3"),
                Arguments.of(
                        "text in a number column",
                        List.of(
                                "train",
                                "--zoo",
                                "stock-simple-rnn",
                                "--data",
                                d + "/text.csv",
                                "--out",
                                d + "/out-text"),
                        "abc"),
                Arguments.of(
                        "too few rows for the window",
                        List.of(
                                "train",
                                "--zoo",
                                "stock-simple-rnn",
                                "--data",
                                d + "/few.csv",
                                "--out",
                                d + "/out-few"),
                        "50"),
                Arguments.of(
                        "empty file",
                        List.of(
                                "train",
                                "--zoo",
                                "stock-simple-rnn",
                                "--data",
                                d + "/empty.csv",
                                "--out",
                                d + "/out-empty"),
                        "empty"),
                Arguments.of("binary garbage", List.of("summary", d + "/garbage.json"), "not UTF-8"),
                Arguments.of("wrong encoding", List.of("summary", d + "/latin1.json"), "not UTF-8"),
                Arguments.of(
                        "a folder that is not a model",
                        List.of("evaluate", "--model", d + "/not-a-model"),
                        "not a model directory"),
                Arguments.of("missing file", List.of("summary", d + "/nope.json"), "no such file"),
                Arguments.of(
                        "unknown backend",
                        List.of("train", "--zoo", "stock-simple-rnn", "--backend", "torch", "--out", d + "/out-units"),
                        "unknown backend 'torch'; available: [dl4j, tf]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitsTwoWithOneLineAndWritesNothing(String name, List<String> args, String fragment) throws Exception {
        Cli r = Cli.run(args.toArray(String[]::new)).badInput(fragment);
        assertEquals(
                "",
                r.out()
                        .strip()
                        .lines()
                        .filter(l -> l.contains("Exception"))
                        .findAny()
                        .orElse(""),
                "no exception text on stdout");
        for (String out : List.of("out-units", "out-gaps", "out-text", "out-few", "out-empty")) {
            assertFalse(Files.exists(dir.resolve(out)), name + ": nothing half-written in " + out);
        }
    }
}
