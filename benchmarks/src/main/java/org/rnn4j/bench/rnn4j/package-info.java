/** The workloads written with rnn4j's public API ({@code Sequential}, {@code Model.fit}, {@code Model.predict}) on either engine. */
package org.rnn4j.bench.rnn4j;
