package org.rnn4j.backend.tf;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.conformance.SequenceConformanceTest;
import org.rnn4j.api.graph.StepForm;
import org.rnn4j.api.layers.BidirectionalSpec;
import org.rnn4j.api.layers.LstmSpec;
import org.rnn4j.api.model.ModelSpec;

/**
 * The shared long-sequence conformance suite (chunked equals whole, streaming, truncated BPTT) with
 * every LSTM in the gate-major form: its pieces take their entry states as {@code [batch, units]}
 * and hand their last states out the same way, as the other forms' do.
 */
class TfGateMajorSequenceConformanceTest extends SequenceConformanceTest {
    @Override
    protected Backend createBackend() {
        return new TfBackend(TfSessionOptions.defaults(), TfForms.forced(StepForm.GATE_MAJOR));
    }

    /** Models with an LSTM: the others build as in the hoisted form, which {@link TfSequenceConformanceTest} runs. */
    @Override
    protected boolean exercises(ModelSpec spec) {
        return spec.layers().stream()
                .anyMatch(l ->
                        l instanceof LstmSpec || (l instanceof BidirectionalSpec b && b.layer() instanceof LstmSpec));
    }

    /**
     * The first random stack with an LSTM, not all three: the curated cases already run the gate-major LSTM
     * stacked, backwards, bidirectional, masked and with recurrent dropout, and the three random stacks cost 10-25 s
     * of the suite here (2026-12-07), which stays under its 20 minutes; {@link TfSequenceConformanceTest} runs every
     * random stack in the default forms.
     */
    @Override
    protected Stream<Arguments> randomModels() {
        return super.randomModels().limit(1);
    }

    /**
     * Gradients and updated weights within 1e-5 instead of 1e-6 (forward outputs and losses stay at 1e-6), the tolerance the shared suite holds every form to against the
     * TensorFlow.js references: the gate-major graph sums each weight's gradient over the steps and
     * rows in another order (its bias gradient is a row sum of {@code dz^T}, its kernel gradient a
     * product over {@code time * batch} in another orientation), and a chunked run cuts those sums
     * per chunk. Where the summands cancel, the rounding of the sum follows their size, not the
     * result's: on the head with BatchNormalization (batch 3, whose gradient cancels across the
     * batch) chunked and whole differed by 1.09e-6 on an LSTM bias gradient whose largest entry is
     * 0.57, by 2.86e-6 on a kernel gradient whose largest is 8.4, and by 4.05e-6 on a bias gradient
     * whose largest is 2.6 (2026-12-07); every other case was within 1e-6. A state handed wrongly
     * from chunk to chunk differs by orders of magnitude more.
     */
    @Override
    protected double gradientTolerance() {
        return 1e-5;
    }
}
