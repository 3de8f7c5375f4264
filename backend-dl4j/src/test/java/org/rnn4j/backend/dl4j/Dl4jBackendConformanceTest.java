package org.rnn4j.backend.dl4j;

import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.conformance.BackendConformanceTest;

/** The shared backend conformance suite (Keras/TF.js reference cases, training, gradients) on dl4j. */
class Dl4jBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend createBackend() {
        return new Dl4jBackend();
    }
}
