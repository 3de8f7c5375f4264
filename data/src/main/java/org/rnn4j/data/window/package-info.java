/**
 * Sliding windows over a series: model inputs {@code [n, window, features]} and targets
 * {@code [n, horizon]}, either materialised or built batch by batch from row indices (an
 * {@link org.rnn4j.api.data.IndexedDataset}), over arrays or lazily read series.
 */
package org.rnn4j.data.window;
