/** A Spark standalone cluster of separate JVMs on 127.0.0.1 for the integration tests. */
package org.rnn4j.spark.cluster;
