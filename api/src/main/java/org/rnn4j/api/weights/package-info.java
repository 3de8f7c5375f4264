/** Weight values by Keras name in Java arrays, and their seeded Keras initialisation. */
package org.rnn4j.api.weights;
