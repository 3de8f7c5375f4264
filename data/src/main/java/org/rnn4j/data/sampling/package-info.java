/**
 * Picking the next id from a model's probability vector during generation: temperature sampling
 * as in the Keras char-rnn example, seeded by a caller-supplied generator so runs reproduce.
 */
package org.rnn4j.data.sampling;
