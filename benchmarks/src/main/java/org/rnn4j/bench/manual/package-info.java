/**
 * Programs run by hand, not by {@code benchmarks/run.sh}: a soak run that prints resident memory
 * over thousands of training steps, native memory per program-level step, and lazy windowing of a
 * million points under a small heap. Each runs through {@code benchmarks/manual.sh}, which names
 * its arguments; their results are quoted in RELIABILITY.md and BENCHMARKS.md with the command.
 */
package org.rnn4j.bench.manual;
