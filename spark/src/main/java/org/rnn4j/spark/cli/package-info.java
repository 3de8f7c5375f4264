/**
 * {@code rnn4j spark train|predict|train-by}: the command line on Spark. Its own entry point
 * ({@link org.rnn4j.spark.cli.SparkMain}), so the normal {@code rnn4j} command never loads Spark;
 * the launcher hands it every command line that starts with {@code spark}, and {@code spark-submit}
 * runs it as the application jar's main class.
 */
package org.rnn4j.spark.cli;
