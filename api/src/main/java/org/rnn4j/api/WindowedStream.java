package org.rnn4j.api;

import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.tensor.Tensor;

/**
 * A model's output over the last {@code window} steps of a growing sequence, updated one step at a
 * time: what {@code model.predict} gives on that window (within float rounding), for models trained
 * on windows that each start from the zero state (a stock model on the last 50 prices, a character
 * model on the last 100 characters).
 *
 * <p>It keeps one {@link Stream} row per window start: the row that started {@code window} steps ago
 * completes its window with each new step, and is then restarted from zeros for the window that
 * begins next. So each step costs one single-step run over {@code window} rows, where predicting
 * on the window costs {@code window} dependent steps.
 *
 * <pre>{@code
 * WindowedStream w = model.windowedStream(50);
 * Tensor next = w.start(lastFiftyInputs);     // [50, 1] -> the forecast after them, [1, 1]
 * next = w.push(Tensor.of(new float[] {x}, 1)); // one more input -> the forecast over the newest 50
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class WindowedStream {
    private final Stream stream;
    private final int window;
    /** The row whose window the next step completes. */
    private int oldest;

    private boolean started;

    WindowedStream(Model model, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("a window holds at least 1 step, got " + window);
        }
        this.stream = model.stream(window);
        this.window = window;
    }

    public int window() {
        return window;
    }

    /**
     * Starts over from a full window: {@code [window, features]} floats or {@code [window]} ids.
     *
     * @return the model's output over it, with a batch axis of 1 ({@code [1, ...]}: a sequence
     *         model's last step)
     */
    public Tensor start(Tensor steps) {
        if (steps.rank() < 1 || steps.dim(0) != window) {
            throw new IllegalArgumentException("start takes a window of " + window + " steps, got shape "
                    + java.util.Arrays.toString(steps.shape()));
        }
        stream.reset();
        // Row i holds the window that starts at step i: it has read steps i..window-1 when done, so
        // after step t every row after t is set back to zero (it has not begun).
        Tensor out = null;
        for (int t = 0; t < window; t++) {
            out = stream.step(broadcast(row(steps, t)));
            for (int i = t + 1; i < window; i++) {
                stream.reset(i);
            }
        }
        oldest = 1 % window;
        started = true;
        return out.sliceRows(0, 1);
    }

    /**
     * Appends one step ({@code [features]} floats, or a single id as {@code [1]} or {@code []}) and
     * returns the output over the newest {@code window} steps ({@code [1, ...]}).
     */
    public Tensor push(Tensor step) {
        if (!started) {
            throw new IllegalStateException("start the windowed stream with a full window before pushing steps");
        }
        // The row that completed the last window begins the newest one.
        stream.reset((oldest + window - 1) % window);
        Tensor out = stream.step(broadcast(step));
        Tensor mine = out.sliceRows(oldest, oldest + 1);
        oldest = (oldest + 1) % window;
        return mine;
    }

    /** The stream's position, to come back to with {@link #restore} (e.g. after a recursive forecast). */
    public Position position() {
        return new Position(stream.state(), oldest, started);
    }

    public void restore(Position p) {
        stream.restore(p.state());
        oldest = p.oldest();
        started = p.started();
    }

    /** A saved position of a windowed stream. */
    public record Position(RecurrentState state, int oldest, boolean started) {}

    /** One step of the single sequence, given to every row: {@code [features] -> [window, features]}, an id -> {@code [window]}. */
    private Tensor broadcast(Tensor step) {
        if (isIds(step)) {
            if (step.size() != 1) {
                throw new IllegalArgumentException(
                        "a step of a token model is one id, got shape " + java.util.Arrays.toString(step.shape()));
            }
            int[] ids = new int[window];
            java.util.Arrays.fill(ids, step.intView()[0]);
            return Tensor.wrapInts(ids, window);
        }
        int features = step.size();
        float[] v = new float[window * features];
        for (int r = 0; r < window; r++) {
            System.arraycopy(step.floatView(), 0, v, r * features, features);
        }
        return Tensor.wrap(v, window, features);
    }

    private static boolean isIds(Tensor t) {
        return t.dtype() == org.rnn4j.api.tensor.DType.INT32;
    }

    /** Step {@code t} of a single sequence {@code [steps, ...]}: {@code [...]}. */
    private static Tensor row(Tensor steps, int t) {
        int inner = steps.size() / steps.dim(0);
        int[] s = steps.shape();
        int[] shape = new int[s.length - 1];
        System.arraycopy(s, 1, shape, 0, shape.length);
        if (isIds(steps)) {
            int[] v = new int[inner];
            System.arraycopy(steps.intView(), t * inner, v, 0, inner);
            return Tensor.wrapInts(v, shape);
        }
        float[] v = new float[inner];
        System.arraycopy(steps.floatView(), t * inner, v, 0, inner);
        return Tensor.wrap(v, shape);
    }
}
