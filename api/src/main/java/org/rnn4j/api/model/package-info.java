/** Models as data: the Sequential builder, shape inference with fix-it messages, weight lists and the summary table. */
package org.rnn4j.api.model;
