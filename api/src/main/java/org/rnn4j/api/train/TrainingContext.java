package org.rnn4j.api.train;

import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.weights.WeightStore;

/** What a {@link Callback} may see and do during {@code fit}. */
public interface TrainingContext {
    ModelSpec spec();

    /** The live weights (copy them with {@link WeightStore#snapshot()} to keep a version). */
    WeightStore weights();

    Optimizer optimizer();

    /** The history so far, including earlier epochs of a resumed run. */
    History history();

    /** The total number of epochs requested. */
    int epochs();

    /** Ends training after the current epoch. */
    void stopTraining();
}
