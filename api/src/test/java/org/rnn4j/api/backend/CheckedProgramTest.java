package org.rnn4j.api.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.api.weights.WeightStore;

/** An engine's {@code run*} method is reached only by calls the contract accepts, with the batch's time steps. */
class CheckedProgramTest {
    private static final ModelSpec SPEC = Sequential.name("m")
            .input(-1, 2)
            .add(Layers.gru(3).dropout(0.5))
            .add(Layers.dense(1))
            .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
            .build();

    /** Records what reached the engine. */
    private static final class Recording extends CheckedProgram {
        final List<String> calls = new ArrayList<>();

        Recording() {
            super(SPEC);
        }

        @Override
        protected Tensor runPredict(Tensor input, int steps, WeightStore weights) {
            calls.add("predict " + steps);
            return Tensor.zeros(input.dim(0), 1);
        }

        @Override
        protected Evaluation runEvaluate(
                Tensor input, int steps, Tensor target, Tensor sampleWeight, WeightStore weights) {
            calls.add("evaluate " + steps + (sampleWeight == null ? "" : " weighted"));
            return new Evaluation(0, Tensor.zeros(input.dim(0), 1));
        }

        @Override
        protected StepResult runTrainStep(
                Tensor input,
                int steps,
                Tensor target,
                Tensor sampleWeight,
                WeightStore weights,
                Map<String, Tensor> noise) {
            calls.add("trainStep " + steps + " " + noise.keySet());
            return new StepResult(0, Tensor.zeros(input.dim(0), 1), Map.of(), Map.of());
        }

        @Override
        protected Advance runAdvance(Tensor input, RecurrentState from, WeightStore weights) {
            calls.add("advance " + input.dim(1));
            return new Advance(Tensor.zeros(input.dim(0), 1), from);
        }

        @Override
        protected SegmentResult runTrainSegment(
                Tensor input,
                int steps,
                Tensor target,
                RecurrentState from,
                WeightStore weights,
                Map<String, Tensor> noise,
                int backwardSteps) {
            calls.add("trainSegment " + steps + " back " + backwardSteps);
            return new SegmentResult(new StepResult(0, Tensor.zeros(input.dim(0), 1), Map.of(), Map.of()), from);
        }

        @Override
        public void close() {}
    }

    @Test
    void refusedCallsNeverReachTheEngine() {
        Recording p = new Recording();
        WeightStore w = WeightInitializer.initialized(SPEC.weights(), 1);
        Tensor x = Tensor.zeros(2, 5, 2);
        Tensor y = Tensor.zeros(2, 1);
        Map<String, Tensor> masks = Map.of("gru/dropout", Tensor.zeros(2, 2));
        assertThrows(IllegalArgumentException.class, () -> p.predict(Tensor.zeros(2, 5, 3), w));
        assertThrows(IllegalArgumentException.class, () -> p.evaluate(x, Tensor.zeros(2, 5), w));
        assertThrows(IllegalArgumentException.class, () -> p.evaluate(x, y, Tensor.zeros(3), w));
        assertThrows(IllegalArgumentException.class, () -> p.trainStep(x, y, w, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> p.advance(x, RecurrentState.zeros(), null));
        assertThrows(IllegalArgumentException.class, () -> p.trainSegment(x, y, RecurrentState.zeros(), w, masks, 0));
        assertEquals(List.of(), p.calls);

        p.predict(x, w);
        p.evaluate(x, y, Tensor.zeros(2), w);
        p.trainStep(x, y, w, masks);
        p.advance(Tensor.zeros(2, 1, 2), RecurrentState.zeros(), w);
        p.trainSegment(Tensor.zeros(2, 7, 2), y, RecurrentState.zeros(), w, masks, 3);
        assertEquals(
                List.of(
                        "predict 5",
                        "evaluate 5 weighted",
                        "trainStep 5 [gru/dropout]",
                        "advance 1",
                        "trainSegment 7 back 3"),
                p.calls);
    }

    @Test
    void aModelWithFixedLengthGetsItsOwnStepsAndAStreamAnyLength() {
        ModelSpec fixed =
                Sequential.name("fixed").input(4, 1).add(Layers.simpleRnn(2)).build();
        ProgramContract c = new ProgramContract(fixed);
        assertEquals(4, c.input(Tensor.zeros(3, 4, 1), "x", false));
        assertEquals(9, c.input(Tensor.zeros(3, 9, 1), "x", true));
        assertEquals(
                "x has shape [3, 9, 1] but the model takes [batch, 4, 1]",
                assertThrows(IllegalArgumentException.class, () -> c.input(Tensor.zeros(3, 9, 1), "x", false))
                        .getMessage());
    }
}
