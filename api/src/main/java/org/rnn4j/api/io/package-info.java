/**
 * Files rnn4j writes and reads back: saved models (TensorFlow.js layers-model + rnn4j.json,
 * atomic, repaired after a kill), tensor JSON, checkpoints and resuming, run folders with their
 * locks, checks of output locations, and the model-size limit. Reading files from strangers within
 * bounds is {@link org.rnn4j.api.input}'s.
 */
package org.rnn4j.api.io;
