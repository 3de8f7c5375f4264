/**
 * Input from strangers, read within bounds: regular files only (checked before opening, since
 * opening a FIFO blocks and a device never ends), bytes counted while they stream and stopped at a
 * cap ({@link org.rnn4j.api.input.InputCap}, the table in RELIABILITY.md), and third-party readers
 * (jHDF, Jackson, {@code java.util.zip}) run so that whatever they throw becomes one line.
 */
package org.rnn4j.api.input;
