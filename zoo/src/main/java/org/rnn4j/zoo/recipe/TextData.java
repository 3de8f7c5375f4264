package org.rnn4j.zoo.recipe;

import org.rnn4j.api.tensor.Tensor;

/**
 * A text cut by a {@link TextPreprocessing} or {@link WordPreprocessing}: inputs and next-token
 * id targets {@code [n]} for each split.
 *
 * @param validationX {@code null} when the validation split is too short for one sequence
 * @param testX       {@code null} when the test split is too short for one sequence
 */
public record TextData(
        Preprocessing preprocessing,
        Tensor trainX,
        Tensor trainY,
        Tensor validationX,
        Tensor validationY,
        Tensor testX,
        Tensor testY) {

    public boolean hasValidation() {
        return validationX != null;
    }

    public boolean hasTest() {
        return testX != null;
    }
}
