/**
 * TensorBoard logs written in plain Java: the {@link org.rnn4j.api.tensorboard.TensorBoard}
 * callback, the event files' TFRecord framing with masked CRC32C, and the few protobuf messages
 * ({@code Event}, {@code Summary}, {@code HistogramProto}, {@code TensorProto}) encoded by hand, so
 * the api needs no protobuf library.
 */
package org.rnn4j.api.tensorboard;
