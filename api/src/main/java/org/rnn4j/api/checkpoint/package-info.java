/**
 * Resumable training: checkpoints of a model with its optimizer state and history, and resuming an
 * interrupted run on the same engine and data. It sits above {@link org.rnn4j.api.Model} and the
 * files of {@link org.rnn4j.api.io}, which know nothing of it (no package cycle).
 */
package org.rnn4j.api.checkpoint;
