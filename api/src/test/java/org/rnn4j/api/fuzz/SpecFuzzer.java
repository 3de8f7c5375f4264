package org.rnn4j.api.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.rnn4j.api.conformance.OracleCases;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.json.KerasJson;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.model.Sequential;

/**
 * A seeded mutation fuzzer for the three readers of files from strangers: rnn4j specs, Keras
 * architecture JSON and TensorFlow.js {@code model.json} with weights. Each input is a valid
 * document with a few random structural mutations (values replaced by other types, huge or
 * negative numbers, fields deleted or invented, nodes duplicated) or byte-level edits of its text.
 * The only acceptable outcomes are success or the documented {@link IllegalArgumentException}
 * (of which {@code SpecException} is one); anything else is a finding.
 *
 * <p>Run long: {@code java -cp <api test classpath> org.rnn4j.api.fuzz.SpecFuzzer 10000 <seed>}.
 */
public final class SpecFuzzer {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String NOISE = "{[\"\\:,0-e9\u0000\u00ff";

    /** What a run found. */
    public record Result(String reader, int inputs, int accepted, int rejected, List<String> findings) {}

    private SpecFuzzer() {}

    static List<JsonNode> rnn4jSeeds() {
        List<JsonNode> seeds = new ArrayList<>();
        seeds.add(SpecJson.toJson(Sequential.builder()
                .input(50, 1)
                .add(Layers.simpleRnn(10))
                .add(Layers.dense(1))
                .build()));
        seeds.add(SpecJson.toJson(Sequential.builder()
                .tokenInput(20)
                .add(Layers.embedding(30, 4).maskZero(true))
                .add(Layers.bidirectional(Layers.gru(3).returnSequences(true), MergeMode.SUM))
                .add(Layers.timeDistributed(Layers.dense(30, Activation.SOFTMAX)))
                .build()));
        seeds.add(SpecJson.toJson(Sequential.builder()
                .input(8, 2)
                .add(Layers.lstm(4).returnSequences(true).dropout(0.1))
                .add(Layers.batchNormalization())
                .add(Layers.dropout(0.2))
                .add(Layers.lstm(2))
                .add(Layers.dense(1))
                .build()));
        return seeds;
    }

    static List<JsonNode> kerasSeeds() {
        List<JsonNode> seeds = new ArrayList<>();
        for (String c : OracleCases.forwardCases()) {
            seeds.add(OracleCases.json("oracle/cases/" + c + "/model.json"));
        }
        return seeds;
    }

    public static Result fuzzSpecs(int n, long seed) {
        return run("rnn4j spec", n, seed, rnn4jSeeds(), text -> SpecJson.read(text, "fuzz"));
    }

    public static Result fuzzKeras(int n, long seed) {
        return run("keras json", n, seed, kerasSeeds(), text -> KerasJson.read(text, "fuzz"));
    }

    /** model.json plus its weights.bin in a temporary folder, loaded as a user would. */
    public static Result fuzzModelJson(int n, long seed) throws IOException {
        Path dir = Files.createTempDirectory("rnn4j-fuzz");
        try {
            List<String> cases = OracleCases.forwardCases();
            Random pick = new Random(seed ^ 0x1234);
            return run("model.json", n, seed, kerasSeeds(), text -> {
                String c = cases.get(pick.nextInt(cases.size()));
                try {
                    Files.write(dir.resolve("weights.bin"), OracleCases.bytes("oracle/cases/" + c + "/weights.bin"));
                    Files.writeString(dir.resolve("model.json"), text);
                    ModelFiles.load(dir);
                } catch (IOException e) {
                    throw new IllegalStateException("unexpected I/O failure in a private temp dir", e);
                }
            });
        } finally {
            for (String f : new String[] {"weights.bin", "model.json"}) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }

    private static Result run(String reader, int n, long seed, List<JsonNode> seeds, Consumer<String> target) {
        Random rng = new Random(seed);
        int accepted = 0;
        int rejected = 0;
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsonNode doc = seeds.get(rng.nextInt(seeds.size())).deepCopy();
            String text;
            if (rng.nextInt(4) == 0) {
                text = mutateText(doc.toString(), rng);
            } else {
                int edits = 1 + rng.nextInt(3);
                for (int e = 0; e < edits; e++) {
                    doc = mutate(doc, rng);
                }
                text = doc.toString();
            }
            long start = System.nanoTime();
            try {
                target.accept(text);
                accepted++;
            } catch (IllegalArgumentException expected) {
                rejected++;
                if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                    findings.add(reader + " #" + i + ": rejection without a message for " + abbreviate(text));
                }
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                findings.add(reader + " #" + i + ": " + e + " for " + abbreviate(text));
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (ms > 2_000) {
                findings.add(reader + " #" + i + ": took " + ms + " ms for " + abbreviate(text));
            }
        }
        return new Result(reader, n, accepted, rejected, findings);
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static JsonNode randomValue(Random rng) {
        return switch (rng.nextInt(12)) {
            case 0 -> F.nullNode();
            case 1 -> F.numberNode(-rng.nextInt(1000));
            case 2 -> F.numberNode(1_000_000_000_000L);
            case 3 -> F.numberNode(rng.nextDouble() * 3 - 1);
            case 4 -> F.numberNode(Integer.MAX_VALUE);
            case 5 -> F.textNode("x".repeat(rng.nextInt(40)));
            case 6 -> F.booleanNode(rng.nextBoolean());
            case 7 -> F.arrayNode().add(rng.nextInt(5)).addNull();
            case 8 -> F.objectNode().put("class_name", "LSTM").put("type", "GRU");
            case 9 -> F.numberNode(0);
            case 10 ->
                F.textNode(List.of(
                                "../../etc/passwd",
                                "/abs/weights.bin",
                                "hard_sigmoid",
                                "LSTM",
                                "float32",
                                "int32",
                                "concat")
                        .get(rng.nextInt(7)));
            default -> F.numberNode(Double.NaN);
        };
    }

    /** Replaces, deletes, adds or duplicates one random node. */
    private static JsonNode mutate(JsonNode root, Random rng) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(rng.nextInt(containers.size()));
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            Iterator<String> it = o.fieldNames();
            it.forEachRemaining(names::add);
            int op = rng.nextInt(4);
            if (names.isEmpty() || op == 0) {
                o.set("fuzz_" + rng.nextInt(10), randomValue(rng));
            } else {
                String name = names.get(rng.nextInt(names.size()));
                switch (op) {
                    case 1 -> o.remove(name);
                    case 2 -> o.set(name, randomValue(rng));
                    default -> o.set(name, o.get(name).deepCopy());
                }
            }
        } else if (target instanceof ArrayNode a) {
            int op = rng.nextInt(3);
            if (a.isEmpty() || op == 0) {
                a.add(randomValue(rng));
            } else if (op == 1) {
                a.remove(rng.nextInt(a.size()));
            } else {
                int i = rng.nextInt(a.size());
                a.set(i, randomValue(rng));
            }
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            node.forEach(child -> collect(child, out));
        }
    }

    private static String mutateText(String text, Random rng) {
        StringBuilder sb = new StringBuilder(text);
        int edits = 1 + rng.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int pos = rng.nextInt(sb.length());
            switch (rng.nextInt(4)) {
                case 0 -> sb.deleteCharAt(pos);
                case 1 -> sb.insert(pos, NOISE.charAt(rng.nextInt(NOISE.length())));
                case 2 -> sb.setCharAt(pos, (char) (rng.nextInt(95) + 32));
                default -> sb.insert(pos, "[".repeat(rng.nextInt(200)));
            }
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 20261126L;
        for (Result r : List.of(fuzzSpecs(n, seed), fuzzKeras(n, seed), fuzzModelJson(n, seed))) {
            System.out.printf(
                    "%-12s inputs=%d accepted=%d rejected=%d findings=%d%n",
                    r.reader(),
                    r.inputs(),
                    r.accepted(),
                    r.rejected(),
                    r.findings().size());
            r.findings().stream().limit(20).forEach(f -> System.out.println("  " + f));
        }
    }
}
