// generate's cost per character (issue 14): the shipped char-embedding-lstm writing LENGTH characters
// after "And God said" (temperature 1, seed 7), sampling each character from a whole-window predict
// (the way generate ran before) and from the sliding-window predictor (the way it runs now), in one
// JVM, alternating, ROUNDS times; prints the median milliseconds per character of each and checks
// both wrote the same text. A single-file program run on the CLI's classpath:
//   ./mvnw -q -B -o -pl cli -am package -DskipTests     (writes cli/target/classpath.txt)
//   java -Xmx3g -XX:+UseSerialGC -cp cli/target/classes:$(cat cli/target/classpath.txt) \
//        benchmarks/GenerateSpeed.java ENGINE [LENGTH [ROUNDS]]
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.bootstrap.Rnn4j;
import org.rnn4j.data.sampling.TemperatureSampler;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.ZooModel;
import org.rnn4j.zoo.recipe.Preprocessing;
import org.rnn4j.zoo.recipe.TokenPreprocessing;

public class GenerateSpeed {
    public static void main(String[] args) throws Exception {
        String engine = args.length > 0 ? args[0] : "tf";
        int length = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ZooModel zoo = Zoo.get("char-embedding-lstm");
        Path dir = Files.createTempDirectory("rnn4j-generate-speed");
        String base = zoo.pretrainedResource().substring(0, zoo.pretrainedResource().lastIndexOf('/') + 1);
        for (String file : new String[] {ModelFiles.MODEL_JSON, ModelFiles.WEIGHTS_BIN, ModelFiles.RNN4J_JSON}) {
            try (InputStream in = ZooModel.class.getResourceAsStream(base + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
        LoadedModel loaded = ModelFiles.load(dir);
        TokenPreprocessing pre = Preprocessing.fromExtras(loaded.extras()).asText("generate");
        TemperatureSampler sampler = new TemperatureSampler(1.0);
        List<Double> whole = new ArrayList<>();
        List<Double> stepped = new ArrayList<>();
        try (Backend b = Rnn4j.backend(engine);
                Model m = Model.withWeights(loaded.spec(), b, loaded.weights())) {
            // Warm-up: both ways once (graphs built, JIT).
            pre.generate("And God said", length, sampler, new SplittableRandom(7), m::predict);
            pre.generate("And God said", length, sampler, new SplittableRandom(7), m.slidingWindowPredictor());
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                String a = pre.generate("And God said", length, sampler, new SplittableRandom(7), m::predict);
                long t1 = System.nanoTime();
                String s = pre.generate(
                        "And God said", length, sampler, new SplittableRandom(7), m.slidingWindowPredictor());
                long t2 = System.nanoTime();
                if (!a.equals(s)) {
                    throw new AssertionError("different text:\n" + a + "\n---\n" + s);
                }
                whole.add((t1 - t0) / 1e6 / length);
                stepped.add((t2 - t1) / 1e6 / length);
            }
        }
        whole.sort(Double::compare);
        stepped.sort(Double::compare);
        double w = whole.get(rounds / 2);
        double s = stepped.get(rounds / 2);
        System.out.printf(
                Locale.ROOT,
                "{\"impl\":\"%s\",\"chars\":%d,\"rounds\":%d,\"whole_ms_per_char\":%.3f,"
                        + "\"sliding_ms_per_char\":%.3f,\"speedup\":%.2f,\"same_text\":true}%n",
                engine, length, rounds, w, s, w / s);
    }
}
