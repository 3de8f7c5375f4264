/**
 * rnn4j on Apache Spark: {@link org.rnn4j.spark.RnnModelTransformer} scores a {@code Dataset<Row>}
 * with a saved model (a Spark ML {@code Transformer}); {@link org.rnn4j.spark.SparkTrainer} trains
 * one model data-parallel on Spark's executors, exactly as the single-machine
 * {@link org.rnn4j.api.train.Trainer} would with the same seed and batch size; {@link
 * org.rnn4j.spark.TrainBy} trains one model per key of a long-format table. Spark is a
 * {@code provided} dependency: the application jar ({@code rnn4j-spark-*-app.jar}) carries rnn4j and
 * both engines, the cluster brings Spark.
 */
package org.rnn4j.spark;
