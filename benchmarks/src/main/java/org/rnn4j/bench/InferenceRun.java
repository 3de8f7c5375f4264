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

    /** Whether {@link #generationStep} runs here (it needs inference that keeps the recurrent state). */
    boolean hasGenerationStep();

    /**
     * The next character through W2's model from the state the previous call left (one step of
     * the model per character, as a generator runs), greedy; the first call starts from a zero
     * state and the context's last id.
     */
    int generationStep();

    @Override
    void close();

    /** The index of the largest value (the first of equal ones): a greedy pick of the next id. */
    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
