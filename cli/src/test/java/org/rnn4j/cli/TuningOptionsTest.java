package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.io.TensorJson;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;

/**
 * {@code fit --no-autotune} and {@code --deterministic}: with autotuning switched on (the test
 * suite runs with it off), a plain fit times the recurrence forms and writes its choice to the
 * cache folder; either flag keeps it from doing so; the properties are restored after each run.
 */
class TuningOptionsTest {
    @TempDir
    Path tmp;

    private String autotuneBefore;
    private String cacheBefore;

    @BeforeEach
    void files() throws Exception {
        ModelSpec spec = Sequential.name("tuning_cli")
                .input(6, 1)
                .add(Layers.lstm(3))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                .build();
        SplittableRandom rng = new SplittableRandom(3);
        float[] xs = new float[8 * 6];
        float[] ys = new float[8];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < ys.length; i++) {
            ys[i] = (float) (rng.nextDouble() - 0.5);
        }
        Files.writeString(tmp.resolve("spec.json"), SpecJson.write(spec));
        Files.writeString(tmp.resolve("x.json"), TensorJson.write(Tensor.wrap(xs, 8, 6, 1)));
        Files.writeString(tmp.resolve("y.json"), TensorJson.write(Tensor.wrap(ys, 8, 1)));
        autotuneBefore = System.getProperty("rnn4j.autotune");
        cacheBefore = System.getProperty("rnn4j.cacheDir");
        System.setProperty("rnn4j.autotune", "true");
        System.setProperty("rnn4j.cacheDir", tmp.resolve("cache").toString());
    }

    @AfterEach
    void restore() {
        restore("rnn4j.autotune", autotuneBefore);
        restore("rnn4j.cacheDir", cacheBefore);
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    private CliRun fit(String out, String... extra) {
        String[] base = {
            "fit",
            "--model",
            tmp.resolve("spec.json").toString(),
            "--x",
            tmp.resolve("x.json").toString(),
            "--y",
            tmp.resolve("y.json").toString(),
            "--loss",
            "mse",
            "--epochs",
            "1",
            "--batch-size",
            "4",
            "--backend",
            "tf",
            "--out",
            tmp.resolve(out).toString()
        };
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void flagsKeepTheEngineFromTimingForms() throws Exception {
        Path cacheFile = tmp.resolve("cache").resolve("recurrence-forms.tsv");
        fit("a", "--no-autotune").ok();
        assertFalse(Files.exists(cacheFile), "--no-autotune timed the forms anyway");
        assertEquals("true", System.getProperty("rnn4j.autotune"), "the property is restored");
        fit("b", "--deterministic").ok();
        assertFalse(Files.exists(cacheFile), "--deterministic timed the forms anyway");
        assertEquals(null, System.getProperty("rnn4j.deterministic"), "the property is restored");
        fit("c").ok();
        assertTrue(Files.exists(cacheFile), "autotuning on: the choice is kept in the cache folder");
        assertEquals(2, Files.readAllLines(cacheFile).size(), "the header and one shape");
    }
}
