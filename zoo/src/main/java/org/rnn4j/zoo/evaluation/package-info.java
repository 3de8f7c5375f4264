/**
 * Honest scores: series forecasts judged on the test split, on the original scale, against the
 * naive last-value forecast and other {@link org.rnn4j.zoo.evaluation.Baseline}s, with Theil's U,
 * its block bootstrap interval, Diebold-Mariano tests and a three-word
 * {@link org.rnn4j.zoo.evaluation.Verdict} per step ahead; language models judged in bits per
 * token and perplexity beside the unigram entropy of the test text.
 */
package org.rnn4j.zoo.evaluation;
