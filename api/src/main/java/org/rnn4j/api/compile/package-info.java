/** Training settings: losses, optimizers, metrics (Keras names and defaults) and fit options. */
package org.rnn4j.api.compile;
