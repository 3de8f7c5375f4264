package org.rnn4j.api.backend;

import java.util.Map;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * A model compiled for one engine. Every call reads the current weights from the
 * {@link WeightStore} it is given (an engine may cache an uploaded copy keyed by
 * {@link WeightStore#version()}), so the api owns the weights and the engine owns only graphs.
 * Tensors are batch-major: inputs {@code [batch, time, features]} or int {@code [batch, time]}.
 *
 * <p>Long sequences run in chunks through pieces whose graphs do not depend on the length (see
 * {@link org.rnn4j.api.sequence.SequenceDriver}); {@link #advance} and {@link #trainSegment} start
 * from a given recurrent state and return the state after the last step, for step-by-step
 * inference and truncated backpropagation through time. Those two need a model whose recurrent
 * layers all read forwards ({@link org.rnn4j.api.graph.SequencePlan#streamable()}).
 */
public interface Program extends AutoCloseable {

    /** The model output in inference mode (no dropout, BatchNormalization with moving statistics). */
    Tensor predict(Tensor input, WeightStore weights);

    /** The loss of {@code spec.compile()} and the output, in inference mode. */
    Evaluation evaluate(Tensor input, Tensor target, WeightStore weights);

    /**
     * One training-mode forward and backward pass. Does not change the weights: the api's
     * optimizer applies the returned gradients.
     *
     * @param noise the dropout masks named by {@link org.rnn4j.api.graph.ModelGraph#noiseSpecs}
     */
    StepResult trainStep(Tensor input, Tensor target, WeightStore weights, Map<String, Tensor> noise);

    /**
     * {@link #evaluate} with the loss weighted per sample, as Keras's {@code sample_weight}:
     * {@code sum(loss_i * w_i) / count}. Needs {@link Capability#SAMPLE_WEIGHTS}.
     *
     * @param sampleWeight float32 shaped as the loss's per-sample values ({@code [batch]}, or
     *                     {@code [batch, time]} for sequence outputs:
     *                     {@code ModelGraph.sampleWeightShape}), or {@code null} for none
     */
    default Evaluation evaluate(Tensor input, Tensor target, Tensor sampleWeight, WeightStore weights) {
        if (sampleWeight == null) {
            return evaluate(input, target, weights);
        }
        throw new IllegalStateException("this program does not weigh samples; its backend must declare SAMPLE_WEIGHTS");
    }

    /** {@link #trainStep} with the loss weighted per sample (see {@link #evaluate(Tensor, Tensor, Tensor, WeightStore)}). */
    default StepResult trainStep(
            Tensor input, Tensor target, Tensor sampleWeight, WeightStore weights, Map<String, Tensor> noise) {
        if (sampleWeight == null) {
            return trainStep(input, target, weights, noise);
        }
        throw new IllegalStateException("this program does not weigh samples; its backend must declare SAMPLE_WEIGHTS");
    }

    /**
     * Inference over {@code input} starting from the recurrent state {@code from} (zeros when
     * empty).
     *
     * @return the output (every step's for a sequence-output model, else the output after the last
     *         step) and the state after the last step
     * @throws IllegalArgumentException when the model cannot carry its state (it reads time backwards)
     */
    Advance advance(Tensor input, RecurrentState from, WeightStore weights);

    /**
     * One training-mode forward and backward pass over a segment of a longer sequence, starting
     * from {@code from} (truncated backpropagation through time): gradients flow back at most
     * {@code backwardSteps} steps through the recurrences; the segment's loss counts all its steps.
     * The state's gradient does not flow into {@code from}.
     *
     * @throws IllegalArgumentException when the model cannot carry its state
     */
    SegmentResult trainSegment(
            Tensor input,
            Tensor target,
            RecurrentState from,
            WeightStore weights,
            Map<String, Tensor> noise,
            int backwardSteps);

    @Override
    void close();

    /** Loss and output of an inference-mode pass. */
    record Evaluation(double loss, Tensor output) {}

    /**
     * Loss, output, the gradient of every trainable weight (Keras layout), and the batch
     * statistics of BatchNormalization layers by the name of the moving weight they update.
     */
    record StepResult(double loss, Tensor output, Map<String, Tensor> gradients, Map<String, Tensor> batchStats) {}

    /** The output of {@link #advance} and the recurrent state after its last step. */
    record Advance(Tensor output, RecurrentState state) {}

    /** What {@link #trainSegment} returns: the step's results and the state after its last step. */
    record SegmentResult(StepResult step, RecurrentState state) {}
}
