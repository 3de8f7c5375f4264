/**
 * The statistics behind rnn4j's forecast verdicts, in {@code double}: the Diebold-Mariano test of
 * equal predictive accuracy with the Harvey-Leybourne-Newbold small-sample correction
 * ({@link org.rnn4j.zoo.stats.DieboldMariano}), its long-run variance
 * ({@link org.rnn4j.zoo.stats.LongRunVariance}), Student's t distribution
 * ({@link org.rnn4j.zoo.stats.StudentT}) and a seeded circular block bootstrap
 * ({@link org.rnn4j.zoo.stats.BlockBootstrap}). {@code zoo/scripts/forecast_stats_reference.py}
 * re-implements each independently (pure Python 3, float64) and prints the reference values the
 * tests compare with.
 */
package org.rnn4j.zoo.stats;
