package org.rnn4j.backend.tf;

import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.conformance.BackendConformanceTest;
import org.rnn4j.api.graph.StepForm;

/**
 * The shared conformance suite (TensorFlow.js reference cases, Keras training steps, gradient
 * checks) with every LSTM in the gate-major form ({@link StepForm#GATE_MAJOR}), one of the forms
 * autotuning may choose: it must reproduce the references as the default forms do.
 */
class TfGateMajorConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend createBackend() {
        return new TfBackend(TfSessionOptions.defaults(), TfForms.forced(StepForm.GATE_MAJOR));
    }
}
