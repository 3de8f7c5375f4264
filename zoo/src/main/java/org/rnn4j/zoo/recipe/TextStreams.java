package org.rnn4j.zoo.recipe;

import org.rnn4j.data.text.TextWindows;

/**
 * A text of any size cut by {@link TextPreprocessing#stream}: train, validation and test sequences
 * as datasets made batch by batch, the same sequences {@link TextData} holds as tensors.
 *
 * @param validation {@code null} when the validation split is too short for one sequence
 * @param test       {@code null} when the test split is too short for one sequence
 */
public record TextStreams(Preprocessing preprocessing, TextWindows train, TextWindows validation, TextWindows test) {
    public boolean hasValidation() {
        return validation != null;
    }

    public boolean hasTest() {
        return test != null;
    }
}
