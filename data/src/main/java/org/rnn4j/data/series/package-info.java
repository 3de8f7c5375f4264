/**
 * A numeric time series ({@link org.rnn4j.data.series.TimeSeries}) and the invertible transforms
 * applied to it before windowing: chronological splits, differencing and scaling. Everything works
 * in {@code double}; conversion to {@code float32} happens only when windows become tensors.
 * Fitted transforms are records that Jackson writes and reads, so they are saved with a model.
 */
package org.rnn4j.data.series;
