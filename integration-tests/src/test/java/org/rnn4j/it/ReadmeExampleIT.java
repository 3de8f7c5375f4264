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
import org.rnn4j.data.DemoData;

/**
 * The README's library example, taken from README.md as printed (the java block after the
 * ReadmeExampleIT marker), compiled with javac -Werror and run in its own JVM on each engine.
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
    void runsAsPrintedAndTrains(String backend) throws Exception {
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

        // the test split starts at price 4339 of 5105 (70/15/15): the example prints that close
        double actual = DemoData.sp500().column("close")[4339];
        Matcher line = Pattern.compile("first test day: forecast ([0-9.]+), actual ([0-9.]+)")
                .matcher(stdout);
        assertTrue(line.find(), stdout);
        assertEquals(actual, Double.parseDouble(line.group(2)), 0.005);
        assertEquals(actual, Double.parseDouble(line.group(1)), 0.05 * actual, "a one-day forecast near the price");
        assertTrue(Files.isRegularFile(work.resolve("runs/my-model/model.json")));
        assertTrue(Files.isRegularFile(work.resolve("runs/my-model/rnn4j.json")));
    }
}
