package org.rnn4j.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rnn4j.bench.Impl;
import org.rnn4j.bench.InferenceRun;

/**
 * Workload P as JMH benchmarks: sampled latency (JMH's {@code SampleTime} reports the median and
 * p90) of one forecast, a batch of 1,024 forecasts, and one next character, per implementation.
 * Run through {@link InferenceJmh}, which keeps the runs short.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InferenceBenchmark {
    @Param({"rnn4j-tf", "tf-baseline", "rnn4j-dl4j", "dl4j-baseline"})
    public String impl;

    private InferenceRun run;

    @Setup(Level.Trial)
    public void setUp() {
        run = Impl.parse(impl).inference(false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        run.close();
    }

    @Benchmark
    public float forecastOne() {
        return run.forecastOne();
    }

    @Benchmark
    public float forecastBatch() {
        return run.forecastBatch();
    }

    @Benchmark
    public int nextCharacter() {
        return run.nextCharacter();
    }
}
