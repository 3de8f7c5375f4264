/**
 * Batches in a reproducible order: a seeded per-epoch permutation that is pure Java (so every
 * backend sees the same order), cutting an index order into batches, and the {@link
 * org.rnn4j.data.batch.BatchSource} contract for datasets that build a batch on demand.
 */
package org.rnn4j.data.batch;
