/** The backend SPI: an id, declared capabilities, compile a spec into a program, close. */
package org.rnn4j.api.backend;
