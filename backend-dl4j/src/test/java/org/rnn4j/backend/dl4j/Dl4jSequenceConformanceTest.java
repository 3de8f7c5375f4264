package org.rnn4j.backend.dl4j;

import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.conformance.SequenceConformanceTest;

/** The shared long-sequence conformance suite (chunked equals whole, streaming, truncated BPTT) on dl4j. */
class Dl4jSequenceConformanceTest extends SequenceConformanceTest {
    @Override
    protected Backend createBackend() {
        return new Dl4jBackend();
    }
}
