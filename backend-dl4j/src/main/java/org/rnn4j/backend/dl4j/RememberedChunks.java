package org.rnn4j.backend.dl4j;

import java.util.ArrayDeque;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The states a fused recurrent node ({@link TapeRnn}, {@link TapeLstm}) remembers from the forward
 * runs of a chunked training step, for the backward runs that recompute the same chunks
 * ({@link TapeRnn.Recall}). A chunk is taken back only when its inputs (the chunk's input and entry
 * states) and the weights are bit for bit those it was computed from, so what is recalled is what
 * the loop would compute again; the backward pass visits the chunks last to first, so only the
 * last one remembered is looked at, and any mismatch forgets them all. At most
 * {@link #MAX_BYTES} are kept, the oldest dropped first (those chunks are then recomputed).
 */
final class RememberedChunks implements AutoCloseable {
    /** The most bytes a node keeps (at batch 32 and 32 units, 10,000 steps of hidden states take 41 MB). */
    static final long MAX_BYTES = 64L << 20;

    /** One chunk: its inputs as fed (nulls for zero entry states) and the states it computed. */
    private record Chunk(INDArray[] inputs, INDArray[] states) {
        long bytes() {
            return (size(inputs) + size(states)) * Float.BYTES;
        }

        void close() {
            free(inputs);
            free(states);
        }
    }

    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private long bytes;
    /** The weights the chunks were computed with. */
    private INDArray[] weights;

    private long recalled;

    /** Keeps copies of a chunk's {@code inputs} and {@code states}, computed with {@code weights}. */
    void remember(INDArray[] inputs, INDArray[] weights, INDArray[] states) {
        if (!same(this.weights, weights)) {
            clear();
            this.weights = copy(weights);
        }
        Chunk c = new Chunk(copy(inputs), copy(states));
        chunks.addLast(c);
        bytes += c.bytes();
        while (bytes > MAX_BYTES && !chunks.isEmpty()) {
            Chunk old = chunks.pollFirst();
            bytes -= old.bytes();
            old.close();
        }
    }

    /**
     * The states of the last chunk remembered if it had these inputs and weights (the caller frees
     * them with {@link #free}), else null, and then every chunk is forgotten.
     */
    INDArray[] take(INDArray[] inputs, INDArray[] weights) {
        Chunk last = chunks.peekLast();
        if (last == null) {
            return null;
        }
        if (!same(last.inputs(), inputs) || !same(this.weights, weights)) {
            clear();
            return null;
        }
        chunks.pollLast();
        bytes -= last.bytes();
        free(last.inputs());
        recalled++;
        return last.states();
    }

    /** How many chunks were taken back. */
    long recalled() {
        return recalled;
    }

    long bytes() {
        return bytes;
    }

    /** Forgets every chunk and the weights. */
    void clear() {
        chunks.forEach(Chunk::close);
        chunks.clear();
        bytes = 0;
        if (weights != null) {
            free(weights);
            weights = null;
        }
    }

    @Override
    public void close() {
        clear();
    }

    static void free(INDArray[] arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable() && !a.wasClosed()) {
                a.close();
            }
        }
    }

    private static long size(INDArray[] arrays) {
        long n = 0;
        for (INDArray a : arrays) {
            n += a == null ? 0 : a.length();
        }
        return n;
    }

    private static INDArray[] copy(INDArray[] arrays) {
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = arrays[i] == null ? null : arrays[i].dup('c');
        }
        return out;
    }

    private static boolean same(INDArray[] a, INDArray[] b) {
        if (a == null || a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!same(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether two arrays (or nulls) hold the same shape and the very same bits. */
    private static boolean same(INDArray a, INDArray b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (!a.equalShapes(b)) {
            return false;
        }
        INDArray differ = a.neq(b);
        try {
            return !differ.any();
        } finally {
            differ.close();
        }
    }
}
