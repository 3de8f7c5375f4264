/**
 * The layer math, written once: {@link org.rnn4j.api.graph.Ops} is the small symbolic op set an
 * engine implements, {@link org.rnn4j.api.graph.ModelGraph} builds any model and its Keras loss
 * from it. Engines only differentiate and execute.
 */
package org.rnn4j.api.graph;
