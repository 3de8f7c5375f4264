package org.rnn4j.bench.rnn4j;

import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.bench.Workload;

/**
 * The workloads' models as a user writes them with rnn4j. The hand-written TensorFlow baseline
 * takes its initial weights from these specs too, so both start from the same numbers.
 */
public final class Rnn4jModels {
    private Rnn4jModels() {}

    /** The model of a training workload (W1, W1b, W2) at the given sizes; no metrics, so only the loss is reported. */
    public static ModelSpec spec(Workload w, Workload.Sizes s) {
        return switch (w) {
            case W1 ->
                Sequential.name("w1")
                        .input(s.steps(), 1)
                        .add(Layers.simpleRnn(s.units()))
                        .add(Layers.dense(1))
                        .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                        .build();
            case W1B ->
                Sequential.name("w1b")
                        .input(s.steps(), 1)
                        .add(Layers.lstm(s.units()).returnSequences(true))
                        .add(Layers.lstm(s.units()))
                        .add(Layers.dense(1))
                        .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                        .build();
            case W2 ->
                Sequential.name("w2")
                        .tokenInput(s.steps())
                        .add(Layers.embedding(s.vocab(), s.embedding()))
                        .add(Layers.lstm(s.units()).returnSequences(true))
                        .add(Layers.dense(s.vocab(), Activation.SOFTMAX))
                        .compile(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Adam())
                        .build();
            case P, GEN, MATMUL -> throw new IllegalArgumentException(w.id() + " has no model of its own");
        };
    }
}
