/**
 * Rolling-origin (walk-forward) evaluation of a series model: the test split cut into consecutive
 * folds, each forecast by the saved model or by a model refitted on the rows before it (an
 * expanding or a sliding window), scored per fold and on the pooled errors.
 */
package org.rnn4j.zoo.backtest;
