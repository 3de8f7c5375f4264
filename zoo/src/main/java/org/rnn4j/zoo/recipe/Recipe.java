package org.rnn4j.zoo.recipe;

/**
 * How a zoo model's training data is made from raw data: {@link StockRecipe} for prices,
 * {@link TextRecipe} for characters, {@link WordRecipe} for words. A recipe is fitted on the
 * training split only and yields a {@link Preprocessing}, the numbers to save with the model.
 */
public sealed interface Recipe permits StockRecipe, TextRecipe, WordRecipe {

    /** What data the recipe reads. */
    enum DataKind {
        /** One numeric column of a CSV file. */
        SERIES,
        /** Plain text. */
        TEXT
    }

    DataKind dataKind();
}
