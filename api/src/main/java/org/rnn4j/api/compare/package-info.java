/** Cross-backend comparison runs: same initial weights, same batches, measured agreement. */
package org.rnn4j.api.compare;
