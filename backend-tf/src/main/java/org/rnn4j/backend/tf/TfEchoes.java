package org.rnn4j.backend.tf;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import org.rnn4j.api.tensor.Tensor;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * The C tensors behind the recurrent states a program's last native runs ({@link TfNativeRun})
 * handed out, kept so that the state fed back on the next call (a {@link org.rnn4j.api.Stream}
 * step, the next chunk of a long sequence) goes in as TensorFlow produced it instead of being
 * copied back from Java.
 *
 * <p>Keyed by the identity of the Java copy: an api {@link Tensor} is immutable, so a state fed
 * back unchanged is the same object and holds the same values as its native original. A taken
 * tensor leaves this cache (the caller owns and closes it), so each is fed at most once and no run
 * can close what another run is feeding. At most {@link #CAPACITY} are kept; the oldest is closed
 * when a newer one arrives (a caller interleaving more streams than that copies again, which is
 * only slower).
 */
final class TfEchoes implements AutoCloseable {
    static final int CAPACITY = 16;

    private final IdentityHashMap<Tensor, TF_Tensor> kept = new IdentityHashMap<>();
    /** The keys of {@link #kept}, oldest first. */
    private final ArrayDeque<Tensor> order = new ArrayDeque<>();

    private boolean closed;

    /** The native original of {@code copy}, which the caller now owns and deletes; null when none is kept. */
    synchronized TF_Tensor take(Tensor copy) {
        TF_Tensor original = kept.remove(copy);
        if (original != null) {
            order.removeIf(t -> sameObject(t, copy));
        }
        return original;
    }

    /** Keeps {@code original} as the native tensor behind {@code copy}, taking ownership of it. */
    synchronized void keep(Tensor copy, TF_Tensor original) {
        if (closed) {
            TfTensors.delete(original);
            return;
        }
        TF_Tensor before = kept.put(copy, original);
        if (before != null) {
            TfTensors.delete(before);
        } else {
            order.addLast(copy);
        }
        while (kept.size() > CAPACITY) {
            TfTensors.delete(kept.remove(order.removeFirst()));
        }
    }

    /** By identity: {@link Tensor#equals} compares values, and two equal states are not the same native tensor. */
    @SuppressWarnings("ReferenceEquality")
    private static boolean sameObject(Tensor a, Tensor b) {
        return a == b;
    }

    /** How many native tensors are kept (for tests). */
    synchronized int size() {
        return kept.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        kept.values().forEach(TfTensors::delete);
        kept.clear();
        order.clear();
    }
}
