package org.rnn4j.bench;

/**
 * Workload P on one implementation: W1b's model for forecasts, W2's model for the next character.
 * Each method returns a value from the output so that no work can be skipped.
 */
public interface InferenceRun extends AutoCloseable {

    /** One window {@code [1, 50, 1]} through W1b's model. */
    float forecastOne();

    /** {@link SyntheticData#PREDICT_BATCH} windows {@code [1024, 50, 1]} through W1b's model. */
    float forecastBatch();

    /** The next character after a 100-id context through W2's model: the last step's probabilities, greedy. */
    int nextCharacter();

    @Override
    void close();
}
