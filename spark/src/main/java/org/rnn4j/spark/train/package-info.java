/**
 * Data-parallel training on Spark. The driver owns the weights, the batch order and the optimizer
 * (the api's, as on one machine); each step, every partition computes the gradient of its share of
 * the global batch on its executor's engine, and the shares are combined into the gradient of the
 * mean loss over the global batch. See {@link org.rnn4j.spark.train.SparkTrainer}.
 */
package org.rnn4j.spark.train;
