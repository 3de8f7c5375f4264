package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.backend.TuningCache;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.graph.StepForm;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * Autotuning of the recurrence forms ({@link TfForms}): the first training step of a shape (and
 * the first forecast of a batch size class) times the candidates and keeps one, the choice is written to the cache file, a later program reads it
 * back instead of measuring, and a corrupt file costs one warning line and a new measurement. The
 * suite runs with autotuning off ({@code rnn4j.autotune=false} in the build), so only these tests
 * time anything; their model is tiny (a training step takes about a millisecond).
 */
class TfAutotuneTest {
    private static final ModelSpec SPEC = Sequential.builder()
            .input(4, 2)
            .add(Layers.lstm(3).returnSequences(true))
            .add(Layers.lstm(3))
            .add(Layers.dense(1))
            .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
            .build();

    private static final List<String> CONTEXT = List.of("cpu=test", "engine=test");

    @TempDir
    Path dir;

    private static TfProgram program(TuningCache cache) {
        return program(TfForms.autotune(cache));
    }

    /** The same program with the measured rule instead of tuning. */
    private static TfProgram untuned() {
        return program(TfForms.rule());
    }

    private static TfProgram program(TfForms forms) {
        return program(SPEC, forms);
    }

    private static TfProgram program(ModelSpec spec, TfForms forms) {
        return new TfProgram(
                spec,
                TfSessionOptions.defaults().toConfigProto(),
                p -> {},
                true,
                RecurrencePolicy.defaults(),
                forms,
                CONTEXT);
    }

    private static Program.StepResult step(TfProgram p) {
        Tensor x = Fixtures.floats(1, 1, 5, 4, 2);
        Tensor y = Fixtures.floats(2, 1, 5, 1);
        WeightStore w = Fixtures.weights(SPEC, 3, 0.5);
        return p.trainStep(x, y, w, Map.of());
    }

    private static List<String> entries(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        assertEquals(TuningCache.HEADER, lines.get(0), "the header line");
        return lines.subList(1, lines.size());
    }

    @Test
    void tunesOnceWritesTheChoiceAndReadsItBack() throws Exception {
        Path file = dir.resolve("forms.tsv");
        FormChoice first;
        try (TfProgram p = program(TuningCache.at(file))) {
            assertTrue(p.stepForm(4).isEmpty(), "nothing is chosen before the first training step");
            step(p);
            first = p.tunedChoice(4).orElseThrow();
            assertEquals(first.form(), p.stepForm(4).orElseThrow());
            assertEquals(1, p.graphCount(), "only the winner's graph is kept");
        }
        List<String> written = entries(file);
        assertEquals(1, written.size(), "one line per shape: " + written);
        String[] fields = written.get(0).split("\t", -1);
        assertEquals(first.jsonName(), fields[1]);
        assertTrue(fields[2].contains("batch 5, 4 steps"), fields[2]);
        for (String f : new String[] {"plain ", "plain-t ", "hoisted ", "hoisted-t ", "gate_major ", "fused "}) {
            assertTrue(fields[2].contains(f), "every candidate was timed: " + fields[2]);
        }

        // Another choice written by hand must be what the next program uses: it reads, it does not measure.
        FormChoice other = first.equals(FormChoice.of(StepForm.PLAIN))
                ? FormChoice.transposed(StepForm.HOISTED)
                : FormChoice.of(StepForm.PLAIN);
        Files.writeString(
                file, Files.readString(file).replace("\t" + first.jsonName() + "\t", "\t" + other.jsonName() + "\t"));
        try (TfProgram p = program(TuningCache.at(file))) {
            step(p);
            assertEquals(other, p.tunedChoice(4).orElseThrow());
        }
        assertEquals(1, entries(file).size(), "a cached choice is not written again");
    }

    /**
     * Forecasts tune apart from training, once per power-of-two batch class (one window and a
     * thousand want different forms), and give what the untuned rule gives within float32 rounding.
     */
    @Test
    void forecastsTuneOncePerBatchClassAndAgreeWithTheRule() throws Exception {
        Path file = dir.resolve("forms.tsv");
        WeightStore w = Fixtures.weights(SPEC, 3, 0.5);
        try (TfProgram tuned = program(TuningCache.at(file));
                TfProgram rule = untuned()) {
            for (int batch : new int[] {1, 5, 6, 7}) {
                Tensor x = Fixtures.floats(10 + batch, 1, batch, 4, 2);
                Tensor a = tuned.predict(x, w);
                Tensor b = rule.predict(x, w);
                assertTrue(a.maxAbsDiff(b) <= 1e-5, "batch " + batch + ": " + a.maxAbsDiff(b));
            }
            assertTrue(tuned.stepForm(4).isEmpty(), "forecasts do not choose for training");
            assertTrue(tuned.graphCount() <= 2, "only the two winners' graphs are kept: " + tuned.graphCount());
        }
        List<String> written = entries(file);
        assertEquals(2, written.size(), "batch 1, and one line for 5, 6 and 7: " + written);
        assertTrue(written.get(0).contains("inference, batch about 1, 4 steps"), written.get(0));
        assertTrue(written.get(1).contains("inference, batch about 4, 4 steps"), written.get(1));
    }

    /** A forecast of more rows than {@link TfProgram#TUNING_MAX_ROWS} shares their class (and is timed on that many). */
    @Test
    void aHugeForecastSharesTheLargestClass() throws Exception {
        Path file = dir.resolve("forms.tsv");
        WeightStore w = Fixtures.weights(SPEC, 3, 0.5);
        int n = TfProgram.TUNING_MAX_ROWS;
        try (TfProgram tuned = program(TuningCache.at(file));
                TfProgram rule = untuned()) {
            Tensor big = Fixtures.floats(21, 1, 3 * n + 1, 4, 2);
            assertTrue(tuned.predict(big, w).maxAbsDiff(rule.predict(big, w)) <= 1e-5);
            tuned.predict(Fixtures.floats(22, 1, n, 4, 2), w);
        }
        List<String> written = entries(file);
        assertEquals(1, written.size(), "both in the class of " + n + ": " + written);
        assertTrue(written.get(0).contains("inference, batch about " + n + ", 4 steps"), written.get(0));
    }

    /**
     * A fused stack long enough to pipeline (20 steps: 2 chunks, {@link TfOps#pipelineChunks}) is
     * timed both as one op per layer and in chunks; a cached chunked choice is what the next program
     * runs, with the rule's results.
     */
    @Test
    void aFusedStackIsAlsoTimedInChunks() throws Exception {
        Path file = dir.resolve("forms.tsv");
        ModelSpec spec = Sequential.builder()
                .input(20, 2)
                .add(Layers.lstm(3).returnSequences(true))
                .add(Layers.lstm(3))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        Tensor x = Fixtures.floats(1, 1, 5, 20, 2);
        Tensor y = Fixtures.floats(2, 1, 5, 1);
        WeightStore w = Fixtures.weights(spec, 3, 0.5);
        String first;
        try (TfProgram p = program(spec, TfForms.autotune(TuningCache.at(file)))) {
            p.trainStep(x, y, w, Map.of());
            first = p.tunedChoice(20).orElseThrow().jsonName();
        }
        String[] fields = entries(file).get(0).split("\t", -1);
        assertEquals(first, fields[1]);
        for (String candidate :
                new String[] {"plain ", "plain-t ", "hoisted ", "hoisted-t ", "gate_major ", "fused ", "fused-2 "}) {
            assertTrue(fields[2].contains(candidate), candidate + "was timed: " + fields[2]);
        }
        Files.writeString(file, Files.readString(file).replace("\t" + first + "\t", "\tfused-2\t"));
        try (TfProgram p = program(spec, TfForms.autotune(TuningCache.at(file)));
                TfProgram rule = program(spec, TfForms.forced(StepForm.PLAIN))) {
            Program.StepResult a = p.trainStep(x, y, w, Map.of());
            assertEquals(FormChoice.fused(2), p.tunedChoice(20).orElseThrow());
            Program.StepResult b = rule.trainStep(x, y, w, Map.of());
            assertEquals(b.loss(), a.loss(), 1e-6);
            for (String k : b.gradients().keySet()) {
                assertTrue(a.gradients().get(k).maxAbsDiff(b.gradients().get(k)) <= 1e-5, k);
            }
        }
    }

    @Test
    void aCorruptCacheIsIgnoredWithOneWarningAndRewritten() throws Exception {
        Path file = dir.resolve("forms.tsv");
        Files.writeString(file, TuningCache.HEADER + "\nnot a line of this file\n\u0000\u0001");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        Program.StepResult r;
        FormChoice chosen;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (TfProgram p = program(TuningCache.at(file))) {
            r = step(p);
            chosen = p.tunedChoice(4).orElseThrow();
        } finally {
            System.setErr(old);
        }
        assertTrue(Double.isFinite(r.loss()));
        List<String> warnings = err.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains("WARN") && l.contains(file.toString()))
                .toList();
        assertEquals(1, warnings.size(), "one warning line naming the file: " + err);
        assertTrue(warnings.get(0).contains("line 2"), warnings.get(0));
        List<String> rewritten = entries(file);
        assertEquals(1, rewritten.size(), "rewritten with the new choice only: " + rewritten);
        assertEquals(chosen.jsonName(), rewritten.get(0).split("\t", -1)[1]);
    }

    @Test
    void aFileThatIsNotACacheAtAllIsIgnoredToo() throws Exception {
        Path file = dir.resolve("forms.tsv");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 7});
        try (TfProgram p = program(TuningCache.at(file))) {
            step(p);
            assertTrue(p.stepForm(4).isPresent());
        }
        assertEquals(1, entries(file).size());
    }

    @Test
    void withoutAutotuningNothingIsTimedOrWritten() {
        Path file = dir.resolve("forms.tsv");
        try (TfProgram p = untuned()) {
            step(p);
            assertTrue(p.stepForm(4).isEmpty());
        }
        assertFalse(Files.exists(file));
    }

    /** The build sets rnn4j.autotune=false for every test JVM, so the suite never times forms unless a test asks. */
    @Test
    void theSuiteRunsWithAutotuningOff() {
        assertEquals("false", System.getProperty(TfForms.AUTOTUNE_PROPERTY));
        assertFalse(TfForms.fromSystemProperties(false).autotune());
        try (TfBackend b = new TfBackend()) {
            assertFalse(b.forms().autotune());
        }
    }
}
