/** The backend-neutral training loop: optimizers, metrics, history and callbacks. */
package org.rnn4j.api.train;
