/**
 * Sliding windows over a series: model inputs {@code [n, window, features]} and targets
 * {@code [n, horizon]}, either materialised or built batch by batch from row indices.
 */
package org.rnn4j.data.window;
