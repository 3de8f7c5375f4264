/**
 * Preprocessing recipes ({@link org.rnn4j.zoo.recipe.Recipe}) and the fitted state they produce
 * ({@link org.rnn4j.zoo.recipe.Preprocessing}): what turns a price series or a text into training
 * windows, and model outputs back into prices or characters. The fitted state is saved as JSON in a
 * model's {@code rnn4j.json}, so a saved model works from raw prices or raw text later.
 */
package org.rnn4j.zoo.recipe;
