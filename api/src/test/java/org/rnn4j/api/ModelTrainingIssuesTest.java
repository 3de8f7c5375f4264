package org.rnn4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.Capability;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.backend.RecurrentState;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.json.KerasJson;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/** A model whose Keras training configuration was not honoured cannot be fit until compiled anew. */
class ModelTrainingIssuesTest {

    /** A backend that only counts training steps (our own interfaces, no engine). */
    static final class CountingBackend implements Backend {
        int steps;

        @Override
        public String id() {
            return "counting";
        }

        @Override
        public String description() {
            return "counts train steps";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public Program compile(ModelSpec spec, RecurrencePolicy policy) {
            return new Program() {
                @Override
                public Tensor predict(Tensor input, WeightStore weights) {
                    return Tensor.zeros(input.dim(0), 1);
                }

                @Override
                public Evaluation evaluate(Tensor input, Tensor target, WeightStore weights) {
                    return new Evaluation(0, predict(input, weights));
                }

                @Override
                public StepResult trainStep(Tensor input, Tensor target, WeightStore weights, Map<String, Tensor> n) {
                    steps++;
                    return new StepResult(0, predict(input, weights), Map.of(), Map.of());
                }

                @Override
                public Advance advance(Tensor x, RecurrentState from, WeightStore w) {
                    throw new IllegalArgumentException("this fake has no recurrent state");
                }

                @Override
                public SegmentResult trainSegment(
                        Tensor x,
                        Tensor y,
                        RecurrentState from,
                        WeightStore w,
                        Map<String, Tensor> noise,
                        int backwardSteps) {
                    throw new IllegalArgumentException("this fake has no recurrent state");
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void close() {}
    }

    @Test
    void fitRefusesUntilTheModelIsCompiledAgain() {
        ModelSpec spec = KerasJson.read("""
                {"class_name": "Sequential", "config": {"name": "m", "layers": [
                  {"class_name": "Dense", "config": {"name": "d", "batch_input_shape": [null, 2], "units": 1}}]},
                 "keras_version": "2.15.0",
                 "training_config": {"loss": "mse", "optimizer_config": {"class_name": "Lion", "config": {}}}}""", "m.json");
        Tensor x = Tensor.zeros(4, 2);
        Tensor y = Tensor.zeros(4, 1);
        CountingBackend backend = new CountingBackend();
        try (Model model = Model.create(spec, backend)) {
            assertEquals(List.of(0f), List.of(model.predict(x).floatView()[0]), "prediction works");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.fit(x, y));
            assertTrue(
                    e.getMessage()
                            .startsWith("model m cannot be trained as its file describes:"
                                    + " $.training_config.optimizer_config.class_name: optimizer 'Lion'"),
                    e.getMessage());
            assertEquals(0, backend.steps, "no step was taken");
        }
        try (Model model = Model.create(spec.withCompile(CompileSpec.defaults()), backend)) {
            model.fit(x, y);
            assertEquals(1, backend.steps);
        }
    }
}
