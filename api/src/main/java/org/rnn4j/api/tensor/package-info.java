/** Engine-independent tensors: shapes, dtypes and the row-major Java arrays that cross the engine boundary. */
package org.rnn4j.api.tensor;
