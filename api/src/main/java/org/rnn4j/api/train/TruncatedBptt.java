package org.rnn4j.api.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.graph.ModelGraph.Mode;
import org.rnn4j.api.graph.SequencePlan;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.sequence.SequenceDriver;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * Truncated backpropagation through time for one batch ({@link FitOptions.Tbptt}): the batch's
 * sequences are cut into segments of {@code forward} steps, each trained by
 * {@link Program#trainSegment} from the state the previous segment ended in, and each followed by
 * its own optimizer update. The state starts at zero for every batch (its rows are independent
 * sequences, as in DL4J).
 */
public final class TruncatedBptt {
    private final Program program;
    private final WeightStore weights;
    private final Optimizer optimizer;
    private final FitOptions.Tbptt options;

    /** @throws IllegalArgumentException when the model cannot be trained in segments */
    public TruncatedBptt(
            Program program, ModelSpec spec, WeightStore weights, Optimizer optimizer, FitOptions.Tbptt options) {
        check(spec);
        this.program = program;
        this.weights = weights;
        this.optimizer = optimizer;
        this.options = options;
    }

    /** Checks that {@code spec} can train with truncated BPTT; the message says why not and what to do. */
    public static void check(ModelSpec spec) {
        if (spec.outputShape().size() < 2) {
            throw new IllegalArgumentException("fit.tbptt needs a model whose output is a sequence (per-step targets); "
                    + "model '" + spec.name() + "' outputs one value per sequence: set return_sequences on its "
                    + "last recurrent layer, or train it without tbptt (long sequences run in chunks anyway)");
        }
        SequencePlan plan = SequencePlan.of(spec, Mode.TRAINING)
                .orElseThrow(() -> new IllegalArgumentException("fit.tbptt cannot train model '" + spec.name() + "': "
                        + SequencePlan.whyNot(spec, Mode.TRAINING).orElse("")));
        if (!plan.streamable()) {
            throw new IllegalArgumentException("fit.tbptt needs recurrent layers that read forwards; model '"
                    + spec.name() + "' has a Bidirectional or go_backwards layer, which reads each sequence from "
                    + "its end: train it without tbptt");
        }
    }

    /**
     * Trains on one batch, segment after segment; the optimizer has applied every segment's update
     * when this returns.
     *
     * @param noise the batch's dropout masks over its whole length (masks over time steps are cut with the segments)
     * @param epoch the epoch and batch, for the message when the loss diverges
     * @return the batch's loss (the mean over its steps of the segments' losses) and its output;
     *         no gradients (they were applied) and no batch statistics
     */
    public Program.StepResult train(Tensor x, Tensor y, Map<String, Tensor> noise, int epoch, int batch) {
        int steps = x.dim(1);
        RecurrentState state = RecurrentState.zeros();
        double loss = 0;
        float[] out = null;
        int[] outShape = null;
        for (int start = 0; start < steps; start += options.forward()) {
            int length = Math.min(options.forward(), steps - start);
            Map<String, Tensor> segmentNoise = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : noise.entrySet()) {
                // Masks over time steps are [batch, time, features]; recurrent ones [batch, features].
                Tensor m = e.getValue();
                segmentNoise.put(e.getKey(), m.rank() == 3 ? SequenceDriver.rows(m, start, length) : m);
            }
            Program.SegmentResult r = program.trainSegment(
                    SequenceDriver.rows(x, start, length),
                    SequenceDriver.rows(y, start, length),
                    state,
                    weights,
                    segmentNoise,
                    Math.min(options.backward(), length));
            double l = r.step().loss();
            if (!Double.isFinite(l)) {
                throw new TrainingDivergedException(epoch, batch, l);
            }
            optimizer.apply(weights, r.step().gradients());
            state = r.state();
            loss += l * length;
            Tensor o = r.step().output();
            if (out == null) {
                outShape = o.shape();
                outShape[1] = steps;
                out = new float[Math.toIntExact(Tensor.size(outShape))];
            }
            SequenceDriver.writeRows(out, steps, o.size() / (o.dim(0) * o.dim(1)), start, o);
        }
        return new Program.StepResult(loss / steps, Tensor.wrap(out, outShape), Map.of(), Map.of());
    }
}
