/**
 * Compact binary caches of inputs larger than memory, built once and memory-mapped: the numeric
 * columns of a CSV ({@link org.rnn4j.data.csv.ColumnFile}) and the token ids of a text
 * ({@link org.rnn4j.data.text.TokenFile}). {@link org.rnn4j.data.cache.CacheFolder} decides where
 * they live and writes them atomically; {@link org.rnn4j.data.cache.CachedFile} is their one
 * on-disk format, checked (source size, modification time, a checksum of the source's head, the
 * settings, the payload's CRC32C) before a byte of it is trusted.
 */
package org.rnn4j.data.cache;
