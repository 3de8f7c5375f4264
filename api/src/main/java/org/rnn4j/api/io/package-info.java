/**
 * Files rnn4j writes and reads back: saved models (TensorFlow.js layers-model + rnn4j.json,
 * atomic, repaired after a kill), tensor JSON, run folders with their locks, checks of output
 * locations, and the model-size limit. Checkpoints and resuming, which need a
 * {@link org.rnn4j.api.Model}, are {@link org.rnn4j.api.checkpoint}'s; reading files from
 * strangers within bounds is {@link org.rnn4j.api.input}'s.
 */
package org.rnn4j.api.io;
