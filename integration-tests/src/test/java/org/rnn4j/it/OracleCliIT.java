package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.conformance.OracleCases;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.io.TensorJson;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;

/**
 * The reference cases through the real CLI: {@code predict} on every forward case and {@code fit}
 * on every training case, on each engine.
 */
class OracleCliIT {
    @TempDir
    Path tmp;

    static Stream<Arguments> forward() {
        return OracleCases.forwardCases().stream()
                .flatMap(c -> Stream.of(Arguments.of(c, "tf"), Arguments.of(c, "dl4j")));
    }

    static Stream<Arguments> training() {
        return OracleCases.trainCases().stream()
                .flatMap(c -> Stream.of(Arguments.of(c, "tf"), Arguments.of(c, "dl4j")));
    }

    @ParameterizedTest(name = "summary {0}")
    @MethodSource("org.rnn4j.api.conformance.OracleCases#forwardCases")
    void summaryCountsTheManifestsWeights(String name) throws Exception {
        Path dir = tmp.resolve(name);
        OracleCases.copyCase("oracle/cases/" + name, List.of("model.json"), dir);
        long manifest = 0;
        for (JsonNode w : OracleCases.json("oracle/cases/" + name + "/model.json")
                .get("weightsManifest")
                .get(0)
                .get("weights")) {
            long n = 1;
            for (JsonNode d : w.get("shape")) {
                n *= d.asLong();
            }
            manifest += n;
        }
        Cli r = Cli.run("summary", dir.resolve("model.json").toString()).ok();
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "Total params: %,d ", manifest)), r.out());
    }

    @ParameterizedTest(name = "predict {0} on {1}")
    @MethodSource("forward")
    void predictMatchesTensorFlowJs(String name, String backend) throws Exception {
        Path dir = tmp.resolve(name);
        OracleCases.copyCase(
                "oracle/cases/" + name, List.of("model.json", "weights.bin", "input.json", "expected.json"), dir);
        Path out = dir.resolve("out.json");
        Cli.run(
                        "predict",
                        "--model",
                        dir.resolve("model.json").toString(),
                        "--input",
                        dir.resolve("input.json").toString(),
                        "--output",
                        out.toString(),
                        "--backend",
                        backend)
                .ok();
        Tensor actual = TensorJson.read(out);
        Tensor expected = TensorJson.read(dir.resolve("expected.json"));
        double diff = actual.maxAbsDiff(expected);
        assertTrue(diff <= 1e-5, name + " on " + backend + ": " + diff);
    }

    @ParameterizedTest(name = "fit {0} on {1}")
    @MethodSource("training")
    void fitReproducesTheReferenceWeights(String name, String backend) throws Exception {
        String folder = "oracle/train_cases/" + name;
        Path dir = tmp.resolve(name);
        OracleCases.copyCase(
                folder, List.of("model.json", "weights.bin", "input.json", "target.json", "weights_after.bin"), dir);
        JsonNode train = OracleCases.json(folder + "/train.json");
        String loss;
        String optimizer;
        double tol;
        if (train.has("rnn4j_compile")) {
            // Newer cases give the compile block in rnn4j's spec form: the CLI takes the same JSON.
            JsonNode compile = train.get("rnn4j_compile");
            loss = compile.get("loss").isTextual()
                    ? compile.get("loss").asText()
                    : compile.get("loss").toString();
            optimizer = compile.get("optimizer").toString();
            tol = train.get("steps").asInt() == 1 ? 1e-6 : 1e-5;
        } else {
            JsonNode opt = train.get("optimizer");
            boolean adam = opt.get("class_name").asText().equals("Adam");
            optimizer = adam
                    ? String.format(
                            java.util.Locale.ROOT,
                            "{\"type\": \"adam\", \"learning_rate\": %s, \"beta_1\": %s, \"beta_2\": %s, \"epsilon\": %s}",
                            opt.get("learning_rate"),
                            opt.get("beta_1"),
                            opt.get("beta_2"),
                            opt.get("epsilon"))
                    : String.format(
                            java.util.Locale.ROOT,
                            "{\"type\": \"sgd\", \"learning_rate\": %s}",
                            opt.get("learning_rate"));
            loss = train.get("loss").asText();
            tol = adam ? 1e-5 : 1e-6;
        }
        Path out = tmp.resolve(name + "-" + backend);
        List<String> weighted = List.of();
        if (OracleCases.exists(folder + "/sample_weight.json")) {
            OracleCases.copyCase(folder, List.of("sample_weight.json"), dir);
            weighted =
                    List.of("--sample-weight", dir.resolve("sample_weight.json").toString());
        }
        List<String> args = new java.util.ArrayList<>(List.of(
                "fit",
                "--model",
                dir.resolve("model.json").toString(),
                "--x",
                dir.resolve("input.json").toString(),
                "--y",
                dir.resolve("target.json").toString(),
                "--loss",
                loss,
                "--optimizer",
                optimizer,
                "--epochs",
                train.get("steps").asText(),
                "--batch-size",
                train.get("batch_size").asText(),
                "--no-shuffle",
                "--backend",
                backend,
                "--out",
                out.toString()));
        args.addAll(weighted);
        Cli.run(args.toArray(new String[0])).ok();
        LoadedModel saved = ModelFiles.load(out);
        ByteBuffer ref = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("weights_after.bin")))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (WeightSpec w : saved.spec().weights()) {
            float[] v = new float[(int) w.size()];
            ref.asFloatBuffer().get(v);
            ref.position(ref.position() + v.length * 4);
            double diff = saved.weights().get(w.name()).maxAbsDiff(Tensor.wrap(v, w.shapeArray()));
            assertTrue(diff <= tol, name + " on " + backend + ": " + w.name() + " differs by " + diff);
        }
        SpecJson.parse(Files.readString(out.resolve("rnn4j.json")), "rnn4j.json")
                .get("history")
                .get("loss")
                .forEach(l -> assertTrue(Double.isFinite(l.asDouble())));
    }
}
