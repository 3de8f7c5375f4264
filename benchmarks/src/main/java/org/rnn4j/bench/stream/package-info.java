/**
 * Benchmarks of training from data larger than memory: a 50-million-row series CSV and a 1 GiB
 * text streamed from memory-mapped caches against the same models on in-memory tensors, and the
 * cost of prefetching against pre-made batches ({@code benchmarks/streaming.sh}).
 */
package org.rnn4j.bench.stream;
