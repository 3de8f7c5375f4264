/**
 * The {@code rnn4j} command line ({@link org.rnn4j.cli.Main}): picocli commands over the api, the
 * zoo and the data module; engines are chosen through the bootstrap's {@code Rnn4j.backend}.
 * Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input (one line on stderr).
 */
package org.rnn4j.cli;
