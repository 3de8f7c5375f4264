package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.io.TensorJson;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.bootstrap.Rnn4j;

/** {@code fit --tbptt}: truncated BPTT from the command line, saved with the model; bad values refused. */
class FitTbpttTest {
    @TempDir
    Path tmp;

    ModelSpec spec;
    Tensor x;
    Tensor y;

    @BeforeEach
    void files() throws Exception {
        spec = Sequential.name("tbptt_cli")
                .input(-1, 1)
                .add(Layers.lstm(3).returnSequences(true))
                .add(Layers.timeDistributed(Layers.dense(1)))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                .build();
        SplittableRandom rng = new SplittableRandom(3);
        float[] xs = new float[4 * 12];
        float[] ys = new float[4 * 12];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (rng.nextDouble() * 2 - 1);
            ys[i] = (float) (rng.nextDouble() - 0.5);
        }
        x = Tensor.wrap(xs, 4, 12, 1);
        y = Tensor.wrap(ys, 4, 12, 1);
        Files.writeString(tmp.resolve("spec.json"), SpecJson.write(spec));
        Files.writeString(tmp.resolve("x.json"), TensorJson.write(x));
        Files.writeString(tmp.resolve("y.json"), TensorJson.write(y));
    }

    private CliRun fit(Path out, String... extra) {
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
            "--no-shuffle",
            "--backend",
            "tf",
            "--out",
            out.toString()
        };
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    /**
     * Segments of 4 steps over 12 make three updates of one batch where full backpropagation makes
     * one: the weights are those of {@code Model.fit} with the same truncated-BPTT options, not those
     * of full backpropagation, and the saved model keeps the setting.
     */
    @Test
    void tbpttTrainsSegmentBySegmentAndIsSavedWithTheModel() throws Exception {
        fit(tmp.resolve("tbptt"), "--tbptt", "4").ok();
        fit(tmp.resolve("full")).ok();
        LoadedModel truncated = ModelFiles.load(tmp.resolve("tbptt"));
        LoadedModel full = ModelFiles.load(tmp.resolve("full"));
        assertEquals(FitOptions.Tbptt.of(4), truncated.spec().fit().tbptt());
        assertNull(full.spec().fit().tbptt());
        FitOptions options = new FitOptions(1, 4, 0, false, 42, Map.of(), FitOptions.Tbptt.of(4));
        try (Backend b = Rnn4j.backend("tf");
                Model m = Model.create(spec, b, 42)) {
            m.fit(x, y, options);
            double fromFull = 0;
            for (WeightSpec w : spec.weights()) {
                double d =
                        truncated.weights().get(w.name()).maxAbsDiff(m.weights().get(w.name()));
                assertTrue(d <= 1e-6, w.name() + " differs from Model.fit with tbptt by " + d);
                fromFull = Math.max(
                        fromFull,
                        truncated
                                .weights()
                                .get(w.name())
                                .maxAbsDiff(full.weights().get(w.name())));
            }
            assertTrue(fromFull > 1e-4, "truncated BPTT trained like full backpropagation (" + fromFull + ")");
        }
    }

    @Test
    void badTbpttValuesAreRefusedBeforeAnythingIsWritten() {
        Path out = tmp.resolve("never");
        fit(out, "--tbptt", "abc").badInput("--tbptt takes F or F:B (segment steps, backpropagated steps)");
        fit(out, "--tbptt", "10:20").badInput("fit.tbptt.backward must be in [1, forward = 10], got 20");
        fit(out, "--tbptt", "0").badInput("fit.tbptt.forward must be in [1, 16777216], got 0");
        fit(out, "--tbptt", "4:2:1").badInput("--tbptt takes F or F:B");
        assertFalse(Files.exists(out), "nothing written for bad input");
    }
}
