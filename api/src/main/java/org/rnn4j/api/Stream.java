package org.rnn4j.api;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.tensor.Tensor;

/**
 * Step-by-step inference that keeps the recurrent state between calls: DL4J's
 * {@code rnnTimeStep}, Keras's {@code stateful=True}. Each row of the batch is one independent
 * sequence; {@link #step} feeds every row its next time step and returns the output after it, as
 * the model would give it at that step of the whole sequence (within float rounding).
 *
 * <pre>{@code
 * Stream s = model.stream(1);
 * for (float price : prices) {
 *     Tensor next = s.step(Tensor.of(new float[] {price}, 1, 1)); // [1, 1]: the forecast after this price
 * }
 * }</pre>
 *
 * <p>Needs a model whose recurrent layers all read forwards (no {@code go_backwards}, no
 * Bidirectional). The graphs are the model's: a stream builds nothing of its own and holds only
 * its state, in Java arrays. Not thread-safe; use one stream per thread.
 */
public final class Stream {
    private final Model model;
    private final int batch;
    private final boolean sequenceOutput;
    private RecurrentState state = RecurrentState.zeros();

    Stream(Model model, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("a stream needs a batch of at least 1 sequence, got " + batch);
        }
        this.model = model;
        this.batch = batch;
        this.sequenceOutput = model.spec().outputShape().size() >= 2;
    }

    /** How many sequences the stream carries. */
    public int batch() {
        return batch;
    }

    /**
     * Feeds one time step of every sequence: {@code [batch, features]} floats or {@code [batch]} ids.
     *
     * @return the output after this step: {@code [batch, units]} (a sequence-output model's
     *         per-step output without its time axis)
     */
    public Tensor step(Tensor x) {
        int[] shape = x.shape();
        int[] withTime = new int[shape.length + 1];
        withTime[0] = shape[0];
        withTime[1] = 1;
        System.arraycopy(shape, 1, withTime, 2, shape.length - 1);
        Tensor out = advance(x.reshape(withTime));
        if (!sequenceOutput) {
            return out;
        }
        int[] o = out.shape();
        int[] squeezed = new int[o.length - 1];
        squeezed[0] = o[0];
        System.arraycopy(o, 2, squeezed, 1, o.length - 2);
        return out.reshape(squeezed);
    }

    /**
     * Feeds several time steps of every sequence: {@code [batch, steps, features]} floats or
     * {@code [batch, steps]} ids.
     *
     * @return for a sequence-output model every step's output {@code [batch, steps, ...]}, else the
     *         output after the last step {@code [batch, units]}
     */
    public Tensor advance(Tensor x) {
        if (x.rank() < 2 || x.dim(0) != batch) {
            throw new IllegalArgumentException("a stream of " + batch + " sequences takes [" + batch
                    + ", steps, ...] inputs, got " + Arrays.toString(x.shape()));
        }
        model.checkStepInput(x);
        Program.Advance a = model.program().advance(x, state, model.weightStore());
        state = a.state();
        return a.output();
    }

    /** Starts every sequence again from the zero state. */
    public void reset() {
        state = RecurrentState.zeros();
    }

    /** Starts sequence {@code row} again from the zero state; the others keep theirs. */
    public void reset(int row) {
        if (row < 0 || row >= batch) {
            throw new IllegalArgumentException("row " + row + " is outside the stream's batch of " + batch);
        }
        if (state.isZero()) {
            return;
        }
        Map<String, Tensor> next = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.tensors().entrySet()) {
            Tensor t = e.getValue();
            float[] v = t.toFloatArray();
            int units = t.dim(1);
            Arrays.fill(v, row * units, (row + 1) * units, 0f);
            next.put(e.getKey(), Tensor.wrap(v, t.shape()));
        }
        state = new RecurrentState(next);
    }

    /** The current state (a copy-free immutable value to {@link #restore} later, e.g. to try a continuation). */
    public RecurrentState state() {
        return state;
    }

    /** Continues from a state taken with {@link #state()} (of a stream of the same model and batch). */
    public void restore(RecurrentState s) {
        if (s == null) {
            throw new IllegalArgumentException("the state must not be null; use reset() for zeros");
        }
        if (!s.isZero() && s.batch() != batch) {
            throw new IllegalArgumentException(
                    "the state is for a batch of " + s.batch() + " but this stream carries " + batch);
        }
        state = s;
    }
}
