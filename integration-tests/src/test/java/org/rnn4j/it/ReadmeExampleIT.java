package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.bootstrap.Rnn4j;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.evaluation.EvaluationOptions;
import org.rnn4j.zoo.evaluation.Score;
import org.rnn4j.zoo.plan.DataRequest;
import org.rnn4j.zoo.plan.TrainingPlan;
import org.rnn4j.zoo.recipe.PreparedData;

/**
 * The README's library examples. The whole program is taken from README.md as printed (the java
 * block after the ReadmeExampleIT marker), compiled with javac -Werror and run in its own JVM on
 * each engine; the "Honest forecasting" fragment is repeated here and run in-process.
 */
class ReadmeExampleIT {
    private static final Path README = Path.of(System.getProperty("rnn4j.root", ".."), "README.md");

    @TempDir
    static Path tmp;

    static String className;
    static Path classes;

    @BeforeAll
    static void compileAsPrinted() throws Exception {
        String readme = Files.readString(README);
        int marker = readme.indexOf("<!-- ReadmeExampleIT");
        assertTrue(marker >= 0, "README.md lost the ReadmeExampleIT marker");
        int start = readme.indexOf("```java\n", marker) + "```java\n".length();
        int end = readme.indexOf("\n```", start);
        String source = readme.substring(start, end + 1);
        Matcher m = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(m.find(), "the example is a whole class:\n" + source);
        className = m.group(1);
        Path src = Files.createDirectories(tmp.resolve("src")).resolve(className + ".java");
        Files.writeString(src, source);
        classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(
                        diagnostics,
                        null,
                        null,
                        List.of("-Xlint:all", "-Werror", "-cp", Fixtures.testClasspath(), "-d", classes.toString()),
                        null,
                        javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)
                                .getJavaFileObjects(src))
                .call();
        assertTrue(ok, "the README example does not compile as printed:\n" + diagnostics);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void theProgramRunsAsPrintedTrainsAndSavesWhatEvaluateReads(String backend) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("run-" + backend));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        java, "-Xmx2g", "-cp", classes + ":" + Fixtures.testClasspath(), className)
                .directory(work.toFile());
        pb.environment().put("RNN4J_BACKEND", backend);
        pb.environment().remove("TF_CPP_MIN_LOG_LEVEL"); // as a user's program runs
        Path out = work.resolve("stdout.txt");
        Path err = work.resolve("stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the example did not finish in 5 minutes");
        String stdout = Files.readString(out);
        assertEquals(0, p.exitValue(), stdout + Files.readString(err));

        assertTrue(stdout.contains("Total params: 131"), stdout); // SimpleRNN 10*(1+10)+10, Dense 10+1
        List<Double> losses = new ArrayList<>();
        Matcher epoch = Pattern.compile("(?m)^111/111 \\[=+\\] - .* - loss: ([0-9.]+) - mae")
                .matcher(stdout);
        while (epoch.find()) {
            losses.add(Double.parseDouble(epoch.group(1)));
        }
        assertEquals(5, losses.size(), "five Keras epoch lines from ProgressBar:\n" + stdout);
        assertTrue(stdout.contains("Epoch 5/5"), stdout);
        assertTrue(losses.get(4) < losses.get(0), "the loss falls: " + losses);
        assertTrue(stdout.contains("Verdict against the naive"), "the test split's report:\n" + stdout);

        Path model = work.resolve("runs/my-model");
        Cli evaluate = Cli.run("evaluate", "--model", model.toString(), "--data", "sp500", "--backend", backend)
                .ok();
        Matcher u = Pattern.compile("Theil's U = ([0-9.]+)").matcher(stdout);
        assertTrue(u.find(), stdout);
        assertTrue(
                evaluate.out().contains("Theil's U = " + u.group(1)),
                "evaluate reads the saved model:\n" + evaluate.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tf", "dl4j"})
    void theHonestForecastingExampleScoresAndSavesWhatEvaluateReads(String id) throws Exception {
        Path dir = tmp.resolve("my-stock-model-" + id);
        // --- as in the README (the engine and folder from the test)
        TrainingPlan plan = TrainingPlan.forZoo(Zoo.get("stock-simple-rnn"), DataRequest.none());
        PreparedData data = plan.data(); // train / validation / test sets, scoring
        Score score;
        try (Backend backend = Rnn4j.backend(id);
                Model model = Model.create(plan.spec(), backend)) {
            model.fit(
                    data.trainingSet(),
                    data.validationSet().orElse(null),
                    plan.spec().fit().withEpochs(3),
                    List.of());
            score = data.score(model, EvaluationOptions.defaults());
            score.report().forEach(System.out::println); // the tables and the verdict
            model.save(dir, plan.modelExtras()); // or data.preprocessing().asExtras()
        }
        // ---
        assertTrue(score.report().stream().anyMatch(l -> l.startsWith("Verdict against the naive")));
        Cli evaluate =
                Cli.run("evaluate", "--model", dir.toString(), "--backend", id).ok();
        assertTrue(
                evaluate.out()
                        .contains(String.format(
                                Locale.ROOT,
                                "Theil's U = %.4f",
                                score.toJson().get("theilsU").asDouble())),
                evaluate.out());
    }
}
