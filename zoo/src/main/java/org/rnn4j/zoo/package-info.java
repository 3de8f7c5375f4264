/**
 * The model zoo: named, ready-to-train models ({@link org.rnn4j.zoo.Zoo}), each a
 * {@link org.rnn4j.api.model.ModelSpec} plus the preprocessing recipe that turns raw prices or raw
 * text into its training data. Engine-free: training needs a backend from the caller.
 */
package org.rnn4j.zoo;
