package org.rnn4j.backend.tf;

import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.conformance.BackendConformanceTest;
import org.rnn4j.api.graph.StepForm;

/**
 * The shared conformance suite (TensorFlow.js reference cases, Keras training steps, gradient
 * checks) with every recurrent layer in the plain per-step form, one of the forms autotuning may
 * choose: it must reproduce the references as the default forms do.
 */
class TfPlainFormConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend createBackend() {
        return new TfBackend(TfSessionOptions.defaults(), TfForms.forced(StepForm.PLAIN));
    }
}
