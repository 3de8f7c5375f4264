/**
 * Backend-neutral layer specifications: immutable, validated records with Keras 3 defaults and
 * Keras names ({@code units}, {@code return_sequences}, ...). A closed set, dispatched through
 * {@link org.rnn4j.api.layers.LayerVisitor}.
 */
package org.rnn4j.api.layers;
