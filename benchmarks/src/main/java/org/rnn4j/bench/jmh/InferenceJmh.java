package org.rnn4j.bench.jmh;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link InferenceBenchmark} briefly: 1 fork, 3 warm-up and 5 measured iterations of 1 s.
 * Arguments: the implementations to run (default: all four) and optionally {@code --json FILE}.
 * The fork gets the same bounded heap as the harness.
 */
public final class InferenceJmh {
    private InferenceJmh() {}

    public static void main(String[] args) throws RunnerException {
        java.util.List<String> impls = new java.util.ArrayList<>();
        String json = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--json") && i + 1 < args.length) {
                json = args[++i];
            } else {
                impls.add(args[i]);
            }
        }
        OptionsBuilder b = new OptionsBuilder();
        b.include(InferenceBenchmark.class.getName())
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgs("-Xmx1g", "-XX:+UseSerialGC", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
        if (!impls.isEmpty()) {
            b.param("impl", impls.toArray(String[]::new));
        }
        if (json != null) {
            b.resultFormat(ResultFormatType.JSON).result(json);
        }
        Options options = b.build();
        new Runner(options).run();
    }
}
