package org.rnn4j.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.IndexedDataset;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.tensor.Tensor;

/**
 * A dataset's fingerprint is the hash of its samples as whole tensors, whether they are in memory
 * or built batch by batch (a streamed dataset): so a run prepared in memory and resumed from a
 * streamed cache, or the other way round, is recognised as the same data.
 */
class DataFingerprintTest {
    private static final int N = 2_500; // more than two of the fingerprint's 1,024-sample batches

    private static Tensor x() {
        float[] v = new float[N * 3 * 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i * 0.37);
        }
        return Tensor.of(v, N, 3, 2);
    }

    private static Tensor y() {
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = i * 0.5f;
        }
        return Tensor.of(v, N, 1);
    }

    /** The same samples, made per batch from {@code x} and {@code y}: not a {@link TensorDataset}. */
    private static IndexedDataset streamed(Tensor x, Tensor y) {
        TensorDataset inner = TensorDataset.of(x, y);
        return new IndexedDataset() {
            @Override
            public int count() {
                return inner.count();
            }

            @Override
            public Batch batch(int[] indices) {
                return inner.batch(indices);
            }
        };
    }

    /** SHA-256 over (dtype, rank, shape, little-endian floats) per tensor, written out here by hand. */
    private static String byHand(Tensor... tensors) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (Tensor t : tensors) {
            if (t == null) {
                d.update((byte) 0);
                continue;
            }
            ByteBuffer b = ByteBuffer.allocate(8 + 4 * t.rank() + 4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0).putInt(t.rank()); // float32's fixed code in the fingerprint
            for (int s : t.shape()) {
                b.putInt(s);
            }
            for (float f : t.floatView()) {
                b.putFloat(f);
            }
            d.update(b.array());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    @Test
    void aStreamedDatasetHashesAsItsTensorsInMemory() throws Exception {
        Tensor x = x();
        Tensor y = y();
        String expected = byHand(x, y, null, null);
        assertEquals(expected, DataFingerprint.of("shipped", x, y, null, null).sha256());
        assertEquals(
                expected,
                DataFingerprint.of("shipped", TensorDataset.of(x, y), null).sha256());
        assertEquals(
                expected, DataFingerprint.of("shipped", streamed(x, y), null).sha256());

        TensorDataset train = TensorDataset.of(x.sliceRows(0, 2_000), y.sliceRows(0, 2_000));
        TensorDataset validation = TensorDataset.of(x.sliceRows(2_000, N), y.sliceRows(2_000, N));
        String both = byHand(train.x(), train.y(), validation.x(), validation.y());
        assertEquals(
                both,
                DataFingerprint.of("shipped", streamed(train.x(), train.y()), streamed(validation.x(), validation.y()))
                        .sha256());
    }

    @Test
    void oneChangedValueOrAnotherOrderChangesTheHash() {
        Tensor x = x();
        Tensor y = y();
        String base = DataFingerprint.of("shipped", streamed(x, y), null).sha256();
        float[] changed = y.floatView().clone();
        changed[N - 1] += 1e-3f; // in the last, partial batch
        assertNotEquals(
                base,
                DataFingerprint.of("shipped", streamed(x, Tensor.of(changed, N, 1)), null)
                        .sha256());
        int[] reversed = new int[N];
        for (int i = 0; i < N; i++) {
            reversed[i] = N - 1 - i;
        }
        Batch flipped = TensorDataset.of(x, y).batch(reversed);
        assertNotEquals(
                base,
                DataFingerprint.of("shipped", streamed(flipped.x(), flipped.y()), null)
                        .sha256());
    }
}
