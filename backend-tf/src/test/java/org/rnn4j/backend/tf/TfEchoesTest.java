package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * The states a run hands out go back in as TensorFlow made them ({@link TfEchoes}): a stream fed
 * its own state gets exactly what it gets when the same values arrive as a fresh Java copy, and the
 * cache holds what it should, no more.
 */
class TfEchoesTest {

    @Test
    void aTakenTensorLeavesTheCacheAndIsFoundByIdentityOnly() {
        try (TfEchoes echoes = new TfEchoes()) {
            Tensor copy = Tensor.of(new float[] {1, 2}, 1, 2);
            TF_Tensor original = TfTensors.toNative(Tensor.of(new float[] {1, 2}, 1, 2));
            echoes.keep(copy, original);
            assertNull(echoes.take(Tensor.of(new float[] {1, 2}, 1, 2)), "an equal tensor is not the same state");
            assertSame(original, echoes.take(copy));
            assertNull(echoes.take(copy), "each original is fed once, by whoever took it");
            assertEquals(0, echoes.size());
            TfTensors.delete(original);
        }
    }

    @Test
    void theOldestIsDeletedBeyondTheCapacityAndTheRestOnClose() {
        long before = TfTensors.liveNative();
        try (TfEchoes echoes = new TfEchoes()) {
            Tensor first = Tensor.of(new float[] {0}, 1, 1);
            echoes.keep(first, TfTensors.toNative(first));
            for (int k = 1; k <= TfEchoes.CAPACITY; k++) {
                Tensor t = Tensor.of(new float[] {k}, 1, 1);
                echoes.keep(t, TfTensors.toNative(t));
            }
            assertEquals(TfEchoes.CAPACITY, echoes.size());
            assertEquals(TfEchoes.CAPACITY, TfTensors.liveNative() - before, "the oldest was deleted");
            assertNull(echoes.take(first), "the oldest went first");
        }
        assertEquals(before, TfTensors.liveNative(), "closing deletes what is kept");
    }

    /**
     * W2's wiring (embedding, LSTM over the sequence, softmax per step), stepped 12 times twice: once
     * feeding back the state objects each step returned (the native originals go in), once feeding
     * fresh Java copies of the same values (copied in). Outputs and states agree exactly.
     */
    @Test
    void aStreamFedItsOwnStateMatchesOneFedCopies() {
        ModelSpec spec = Fixtures.charModel();
        WeightStore w = Fixtures.weights(spec, 5, 0.5);
        try (TfProgram echoed = new TfProgram(spec, TfSessionOptions.defaults().toConfigProto(), p -> {});
                TfProgram copied =
                        new TfProgram(spec, TfSessionOptions.defaults().toConfigProto(), p -> {})) {
            RecurrentState a = RecurrentState.zeros();
            RecurrentState b = RecurrentState.zeros();
            for (int k = 0; k < 12; k++) {
                Tensor id = Tensor.ofInts(new int[] {1 + k % 8, 8 - k % 8}, 2, 1);
                Program.Advance x = echoed.advance(id, a, w);
                Program.Advance y = copied.advance(id, b, w);
                assertArrayEquals(y.output().toFloatArray(), x.output().toFloatArray(), "step " + k);
                a = x.state();
                b = fresh(y.state());
                for (String n : a.names()) {
                    assertArrayEquals(b.get(n).toFloatArray(), a.get(n).toFloatArray(), n + " after step " + k);
                    assertNotSame(b.get(n), y.state().get(n));
                }
            }
            assertEquals(2, echoed.echoCount(), "h and c of the last step are kept");
        }
    }

    private static RecurrentState fresh(RecurrentState s) {
        Map<String, Tensor> copies = new LinkedHashMap<>();
        for (String n : s.names()) {
            copies.put(n, Tensor.of(s.get(n).toFloatArray(), s.get(n).shape()));
        }
        return new RecurrentState(copies);
    }
}
