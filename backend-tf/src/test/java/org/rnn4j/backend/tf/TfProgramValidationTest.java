package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.BackendException;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;

/**
 * A failure inside TensorFlow reaches the caller once, as a {@link BackendException} naming the
 * engine, the graph and the model. (Bad arguments never get this far: the api's
 * {@code ProgramContract} refuses them, held for both engines by {@code BackendConformanceTest}.)
 */
class TfProgramValidationTest {

    @Test
    void nativeFailuresAreWrappedOnceWithTheBackendId() {
        // Well-formed arguments the graph cannot run: 2 time steps under a convolution kernel of 5.
        ModelSpec spec = Fixtures.kernelOfFive();
        try (TfBackend backend = new TfBackend(TfSessionOptions.defaults());
                Program p = backend.compile(spec)) {
            BackendException e = assertThrows(
                    BackendException.class, () -> p.predict(Tensor.zeros(1, 2, 1), Fixtures.weights(spec, 1, 0.5)));
            assertEquals("tf", e.backendId());
            assertTrue(
                    e.getMessage()
                            .startsWith("[tf] running the inference graph for 2 time steps of model 'short' failed: "),
                    e.getMessage());
            assertTrue(e.getCause() instanceof IllegalArgumentException, "the TensorFlow exception is the cause");
        }
    }
}
