package org.rnn4j.api.backend;

import java.util.Map;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * The base of every engine's {@link Program}: each public call checks its arguments against the
 * {@link ProgramContract} and only then hands them to the engine's {@code run*} method, so both
 * engines refuse the same calls with the same messages (the conformance suite holds them to it)
 * and an engine never sees a malformed tensor. The engine still checks its own state (closed
 * programs) and wraps its own failures in {@link BackendException}.
 */
public abstract class CheckedProgram implements Program {
    /** The model this program runs. */
    protected final ModelSpec spec;

    private final ProgramContract contract;

    protected CheckedProgram(ModelSpec spec) {
        this.spec = spec;
        this.contract = new ProgramContract(spec);
    }

    @Override
    public final Tensor predict(Tensor input, WeightStore weights) {
        int steps = contract.input(input, "input", false);
        contract.weights(weights);
        return runPredict(input, steps, weights);
    }

    @Override
    public final Evaluation evaluate(Tensor input, Tensor target, WeightStore weights) {
        return evaluate(input, target, null, weights);
    }

    @Override
    public final Evaluation evaluate(Tensor input, Tensor target, Tensor sampleWeight, WeightStore weights) {
        int steps = contract.input(input, "input", false);
        contract.target(target, input.dim(0), steps);
        contract.sampleWeight(sampleWeight, input.dim(0), steps);
        contract.weights(weights);
        return runEvaluate(input, steps, target, sampleWeight, weights);
    }

    @Override
    public final StepResult trainStep(Tensor input, Tensor target, WeightStore weights, Map<String, Tensor> noise) {
        return trainStep(input, target, null, weights, noise);
    }

    @Override
    public final StepResult trainStep(
            Tensor input, Tensor target, Tensor sampleWeight, WeightStore weights, Map<String, Tensor> noise) {
        int steps = contract.input(input, "input", false);
        contract.target(target, input.dim(0), steps);
        contract.sampleWeight(sampleWeight, input.dim(0), steps);
        contract.weights(weights);
        contract.noise(noise, input.dim(0), steps);
        return runTrainStep(input, steps, target, sampleWeight, weights, noise);
    }

    @Override
    public final Advance advance(Tensor input, RecurrentState from, WeightStore weights) {
        contract.input(input, "input", true);
        contract.weights(weights);
        return runAdvance(input, from, weights);
    }

    @Override
    public final SegmentResult trainSegment(
            Tensor input,
            Tensor target,
            RecurrentState from,
            WeightStore weights,
            Map<String, Tensor> noise,
            int backwardSteps) {
        int steps = contract.input(input, "input", true);
        contract.target(target, input.dim(0), steps);
        contract.weights(weights);
        contract.noise(noise, input.dim(0), steps);
        if (backwardSteps < 1) {
            throw new IllegalArgumentException("backward steps must be >= 1, got " + backwardSteps);
        }
        return runTrainSegment(input, steps, target, from, weights, noise, backwardSteps);
    }

    /** {@link #predict} with checked arguments; {@code steps} is the batch's time steps. */
    protected abstract Tensor runPredict(Tensor input, int steps, WeightStore weights);

    /** {@link #evaluate(Tensor, Tensor, Tensor, WeightStore)} with checked arguments ({@code sampleWeight} may be null). */
    protected abstract Evaluation runEvaluate(
            Tensor input, int steps, Tensor target, Tensor sampleWeight, WeightStore weights);

    /** {@link #trainStep(Tensor, Tensor, Tensor, WeightStore, Map)} with checked arguments. */
    protected abstract StepResult runTrainStep(
            Tensor input,
            int steps,
            Tensor target,
            Tensor sampleWeight,
            WeightStore weights,
            Map<String, Tensor> noise);

    /** {@link #advance} with a checked input and weights (the driver checks the state against the plan). */
    protected abstract Advance runAdvance(Tensor input, RecurrentState from, WeightStore weights);

    /** {@link #trainSegment} with checked arguments. */
    protected abstract SegmentResult runTrainSegment(
            Tensor input,
            int steps,
            Tensor target,
            RecurrentState from,
            WeightStore weights,
            Map<String, Tensor> noise,
            int backwardSteps);
}
