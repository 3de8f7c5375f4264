/**
 * Honest scores: forecasts judged on the test split, on the price scale, against the naive
 * last-value forecast (Theil's U), and language models judged in bits per token and perplexity.
 */
package org.rnn4j.zoo.evaluation;
