package org.rnn4j.data.text;

/** Which end of a sequence padding is added to, or truncation removes from (Keras's {@code 'pre'} / {@code 'post'}). */
public enum Side {
    /** The start of the sequence; Keras's default for both padding and truncating. */
    PRE,
    /** The end of the sequence. */
    POST
}
