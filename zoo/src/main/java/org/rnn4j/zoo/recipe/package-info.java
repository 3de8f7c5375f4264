/**
 * Preprocessing recipes ({@link org.rnn4j.zoo.recipe.Recipe}), the fitted state they produce
 * ({@link org.rnn4j.zoo.recipe.Preprocessing}) and the data it cuts
 * ({@link org.rnn4j.zoo.recipe.PreparedData}): what turns a series (one or several columns) or a
 * text into training windows, and model outputs back into prices, characters or words, one and
 * several steps ahead. The fitted state is saved as JSON in a model's {@code rnn4j.json}, so a
 * saved model works from raw prices or raw text later.
 */
package org.rnn4j.zoo.recipe;
