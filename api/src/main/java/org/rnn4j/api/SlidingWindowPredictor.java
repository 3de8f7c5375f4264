package org.rnn4j.api;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.SequencePlan;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;

/**
 * {@code model::predict} for callers that slide one window a step at a time (text generation, a
 * recursive forecast): when a window is the previous one moved on by one step, only the new step
 * runs, through a {@link WindowedStream}; any other input is predicted whole. Either way the output
 * is the model's output for the window's last step, equal to {@code predict}'s within float
 * rounding: {@code [1, units]}, or {@code [1, 1, units]} for a sequence-output model (whose
 * {@code predict} would also return the window's earlier steps).
 *
 * <p>Models that read time backwards predict every window whole; batches of more than one window
 * go to {@code predict} and get its output unchanged. Not thread-safe.
 */
public final class SlidingWindowPredictor implements UnaryOperator<Tensor> {
    private final Model model;
    private final boolean streamable;
    private final boolean sequenceOutput;
    private WindowedStream windowed;
    private Tensor last;

    SlidingWindowPredictor(Model model) {
        this.model = model;
        this.streamable = SequencePlan.of(model.spec(), ModelGraph.Mode.INFERENCE)
                .map(SequencePlan::streamable)
                .orElse(false);
        this.sequenceOutput = model.spec().outputShape().size() >= 2;
    }

    @Override
    public Tensor apply(Tensor input) {
        if (input.rank() < 2 || input.dim(0) != 1) {
            return model.predict(input);
        }
        if (!streamable) {
            Tensor all = model.predict(input);
            return sequenceOutput ? lastStep(all) : all;
        }
        model.checkInput(input, "input");
        int window = input.dim(1);
        Tensor out;
        if (windowed != null && windowed.window() == window && last != null && slidOneStep(last, input)) {
            out = windowed.push(step(input, window - 1));
        } else {
            if (windowed == null || windowed.window() != window) {
                windowed = model.windowedStream(window);
            }
            int[] s = input.shape();
            out = windowed.start(input.reshape(Arrays.copyOfRange(s, 1, s.length)));
        }
        last = input;
        if (sequenceOutput) {
            int[] o = out.shape();
            int[] withTime = new int[o.length + 1];
            withTime[0] = 1;
            withTime[1] = 1;
            System.arraycopy(o, 1, withTime, 2, o.length - 1);
            return out.reshape(withTime);
        }
        return out;
    }

    /** Whether {@code now} is {@code before} without its first step, with one step more at the end. */
    private static boolean slidOneStep(Tensor before, Tensor now) {
        if (!Arrays.equals(before.shape(), now.shape()) || before.dtype() != now.dtype()) {
            return false;
        }
        int inner = now.size() / now.dim(1);
        int n = now.size() - inner;
        if (now.dtype() == DType.INT32) {
            return Arrays.equals(before.intView(), inner, inner + n, now.intView(), 0, n);
        }
        return Arrays.equals(before.floatView(), inner, inner + n, now.floatView(), 0, n);
    }

    /** The last step of a batch of one's sequence output, keeping its axes: {@code [1, 1, ...]}. */
    private static Tensor lastStep(Tensor out) {
        Tensor t = step(out, out.dim(1) - 1);
        int[] s = out.shape();
        s[1] = 1;
        return t.reshape(s);
    }

    /** Step {@code t} of a batch of one {@code [1, time, ...]}: {@code [...]}. */
    private static Tensor step(Tensor x, int t) {
        int inner = x.size() / x.dim(1);
        int[] s = x.shape();
        int[] shape = Arrays.copyOfRange(s, 2, s.length);
        if (x.dtype() == DType.INT32) {
            return Tensor.wrapInts(Arrays.copyOfRange(x.intView(), t * inner, (t + 1) * inner), shape);
        }
        return Tensor.wrap(Arrays.copyOfRange(x.floatView(), t * inner, (t + 1) * inner), shape);
    }
}
