/**
 * Training data as batches, the one contract from the data module to {@code fit}: a
 * {@link org.rnn4j.api.data.Dataset} yields {@link org.rnn4j.api.data.Batch}es in the seeded
 * order of an {@link org.rnn4j.api.data.EpochPlan}; {@link org.rnn4j.api.data.IndexedDataset}s
 * build any batch from sample indices (in-memory tensors, or windows streamed from files) and are
 * shuffled by the project's one shuffle, {@link org.rnn4j.api.data.SampleOrder};
 * {@link org.rnn4j.api.data.Prefetch} prepares the next batches on a background thread.
 */
package org.rnn4j.api.data;
