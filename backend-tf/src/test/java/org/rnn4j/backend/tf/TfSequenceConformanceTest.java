package org.rnn4j.backend.tf;

import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.conformance.SequenceConformanceTest;

/** The shared long-sequence conformance suite (chunked equals whole, streaming, truncated BPTT) on tf. */
class TfSequenceConformanceTest extends SequenceConformanceTest {
    @Override
    protected Backend createBackend() {
        return new TfBackend();
    }
}
