package org.rnn4j.api.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.Capability;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.History;
import org.rnn4j.api.train.TrainerTest;

/** {@code Model.fit/evaluate/predict} on datasets, over a fake engine (our own interface): y = w x + b. */
class DatasetFitTest {
    private static final ModelSpec SPEC = TrainerTest.SPEC;
    private static final int N = 53;

    /** A backend whose every program is one {@link TrainerTest.LinearProgram}, kept for inspection. */
    static final class LinearBackend implements Backend {
        final List<TrainerTest.LinearProgram> programs = new ArrayList<>();

        @Override
        public String id() {
            return "linear";
        }

        @Override
        public String description() {
            return "y = w x + b in plain Java";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public Program compile(ModelSpec spec, org.rnn4j.api.backend.RecurrencePolicy policy) {
            TrainerTest.LinearProgram p = new TrainerTest.LinearProgram();
            programs.add(p);
            return p;
        }

        @Override
        public void close() {}
    }

    private static float x(int i) {
        return i / (float) N;
    }

    private static TensorDataset tensors() {
        float[] x = new float[N];
        float[] y = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = x(i);
            y[i] = 3 * x(i) + 1;
        }
        return TensorDataset.of(Tensor.wrap(x, N, 1), Tensor.wrap(y, N, 1));
    }

    /** The same samples made one batch at a time, as a streamed source makes them; optionally slow or broken. */
    static final class Lazy implements IndexedDataset {
        final long sleepMillis;
        final int nanAtSample;

        Lazy(long sleepMillis, int nanAtSample) {
            this.sleepMillis = sleepMillis;
            this.nanAtSample = nanAtSample;
        }

        @Override
        public int count() {
            return N;
        }

        @Override
        public Batch batch(int[] indices) {
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            float[] x = new float[indices.length];
            float[] y = new float[indices.length];
            for (int i = 0; i < indices.length; i++) {
                x[i] = indices[i] == nanAtSample ? Float.NaN : x(indices[i]);
                y[i] = 3 * x(indices[i]) + 1;
            }
            return new Batch(Tensor.wrap(x, indices.length, 1), Tensor.wrap(y, indices.length, 1));
        }
    }

    private record Run(History history, Map<String, Tensor> weights, List<Float> batches) {}

    private static Run fit(Dataset train, Dataset validation, FitOptions options) {
        LinearBackend backend = new LinearBackend();
        try (Model m = Model.create(SPEC, backend, 3)) {
            History h = m.fit(train, validation, options);
            return new Run(h, m.weights(), backend.programs.get(0).seen);
        }
    }

    private static final FitOptions OPTIONS = new FitOptions(4, 8, 0, true, 17);

    @Test
    void aDatasetMadeBatchByBatchTrainsExactlyAsTheSameTensors() {
        Run memory = fit(tensors(), tensors().slice(40, N), OPTIONS);
        Run lazy = fit(new Lazy(0, -1), new Lazy(0, -1).slice(40, N), OPTIONS);
        assertEquals(4 * 7, memory.batches().size());
        assertEquals(memory.batches(), lazy.batches(), "same first sample of every batch, in the same order");
        assertEquals(memory.weights(), lazy.weights());
        assertEquals(memory.history(), lazy.history());
    }

    @Test
    void prefetchNeverChangesTheNumbers() {
        Run none = fit(new Lazy(0, -1), null, OPTIONS.withPrefetch(0));
        Run deep = fit(new Lazy(0, -1), null, OPTIONS.withPrefetch(5));
        assertEquals(none.batches(), deep.batches());
        assertEquals(none.weights(), deep.weights());
        assertEquals(none.history(), deep.history());
    }

    @Test
    void fitEvaluateAndPredictGatherBatchesInMemoryOnTheCallersThread() {
        String me = Thread.currentThread().getName();
        FitOptions options = OPTIONS.withValidationSplit(0.25);
        Run reference = fit(new Lazy(0, -1), null, options);
        // Through the model's checks and the validation split, as the user's fit runs it.
        RecordingDataset inMemory = new RecordingDataset(new Lazy(0, -1), true);
        Run run = fit(inMemory, null, options);
        assertEquals(Set.of(me), inMemory.makers, "training and validation batches");
        assertEquals(reference.batches(), run.batches());
        assertEquals(reference.weights(), run.weights());
        RecordingDataset streamed = new RecordingDataset(new Lazy(0, -1), false);
        fit(streamed, null, options);
        assertEquals(Set.of("rnn4j-prefetch"), streamed.makers);
        RecordingDataset evaluated = new RecordingDataset(new Lazy(0, -1), true);
        try (Model m = Model.create(SPEC, new LinearBackend(), 3)) {
            m.evaluate(evaluated, 8);
            m.predict(evaluated, 8);
        }
        assertEquals(Set.of(me), evaluated.makers);
    }

    @Test
    void theSecondsSpentWaitingForDataGoIntoTheHistory() {
        // 7 batches of at least 15 ms each, made on the training thread: at least 0.105 s of waiting.
        History h = fit(new Lazy(15, -1), null, OPTIONS.withEpochs(1).withPrefetch(0))
                .history();
        double waited = h.dataWaitSeconds().get(0);
        assertTrue(waited >= 0.105, "waited " + waited);
        assertTrue(waited <= h.secondsPerEpoch().get(0), "part of the epoch");
        History fast = fit(tensors(), null, OPTIONS.withEpochs(2)).history();
        assertEquals(2, fast.dataWaitSeconds().size());
    }

    @Test
    void validationSplitHoldsOutTheLastSamplesOfAnIndexedDataset() {
        FitOptions split = OPTIONS.withValidationSplit(0.25);
        Run lazy = fit(new Lazy(0, -1), null, split);
        Run explicit = fit(new Lazy(0, -1).slice(0, 39), new Lazy(0, -1).slice(39, N), OPTIONS);
        assertEquals(explicit.weights(), lazy.weights());
        assertEquals(explicit.history(), lazy.history());

        Dataset unknownSize = new Dataset() {
            @Override
            public OptionalLong sampleCount() {
                return OptionalLong.empty();
            }

            @Override
            public BatchIterator batches(EpochPlan plan) {
                return new Lazy(0, -1).batches(plan);
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit(unknownSize, null, split));
        assertEquals(
                "validation_split needs data of known size; this dataset's size is not known ahead, so pass"
                        + " validation data instead",
                e.getMessage());
    }

    @Test
    void streamedBatchesAreCheckedLikeTensors() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> fit(new Lazy(0, 30), null, OPTIONS));
        assertEquals("a training batch's x contains NaN or infinite values; clean the data first", e.getMessage());
    }

    @Test
    void evaluateAndPredictStreamWhatTheTensorFormsCompute() {
        LinearBackend backend = new LinearBackend();
        try (Model m = Model.create(SPEC, backend, 3)) {
            m.fit(tensors(), null, OPTIONS);
            TensorDataset t = tensors();
            assertEquals(m.evaluate(t.x(), t.y(), 8), m.evaluate(new Lazy(0, -1), 8));
            Tensor all = m.predict(t.x());
            assertEquals(all, m.predict(new Lazy(0, -1), 5));
            List<Tensor> parts = new ArrayList<>();
            m.predict(new Lazy(0, -1), 10, parts::add);
            assertEquals(6, parts.size());
            assertEquals(all.sliceRows(50, N), parts.get(5));
        }
    }
}
