package org.rnn4j.it;

import org.tensorflow.TensorFlow;

/** Loads TensorFlow without rnn4j (its own defaults, the environment as given) and prints "ok". */
public final class RawTensorFlowMain {
    private RawTensorFlowMain() {}

    public static void main(String[] args) {
        if (TensorFlow.version().isEmpty()) {
            throw new IllegalStateException("TensorFlow has no version");
        }
        System.out.println("ok");
    }
}
