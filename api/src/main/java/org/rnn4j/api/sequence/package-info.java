/**
 * Long sequences with graphs whose size does not depend on the sequence length: the api's driver
 * ({@link org.rnn4j.api.sequence.SequenceDriver}) runs a model's
 * {@link org.rnn4j.api.graph.SequencePlan} chunk by chunk through pieces an engine compiles once
 * ({@link org.rnn4j.api.sequence.PieceRunner}), with exact backpropagation through time, recurrent
 * state carried between calls ({@link org.rnn4j.api.backend.RecurrentState}), and the choice of
 * form per sequence length ({@link org.rnn4j.api.backend.RecurrencePolicy}).
 */
package org.rnn4j.api.sequence;
