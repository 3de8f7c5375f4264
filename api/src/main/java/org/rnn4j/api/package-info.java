/** The user-facing entry: {@link org.rnn4j.api.Model} (fit / evaluate / predict / save) over any backend. */
package org.rnn4j.api;
