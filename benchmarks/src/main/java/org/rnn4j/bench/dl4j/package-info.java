/**
 * The hand-written DL4J baseline: each workload as a skilled DL4J user writes it without rnn4j
 * ({@code MultiLayerNetwork} with DL4J's own recurrent layers, Adam, {@code DataSet} batches in
 * NCW made once, {@code net.fit(DataSet)} per batch), and the ND4J matmul peak.
 */
package org.rnn4j.bench.dl4j;
