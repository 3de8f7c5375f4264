/** Guice wiring: discovers backend modules through ServiceLoader and selects one by id. */
package org.rnn4j.bootstrap;
