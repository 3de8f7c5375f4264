package org.rnn4j.backend.tf;

import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.conformance.BackendConformanceTest;

/** The shared conformance suite (TensorFlow.js reference cases, Keras training steps, gradient checks) on TensorFlow. */
class TfBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend createBackend() {
        return new TfBackend(TfSessionOptions.defaults());
    }
}
