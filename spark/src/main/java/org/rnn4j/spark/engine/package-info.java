/**
 * The executor side: one backend per executor JVM and a small pool of compiled programs per model
 * spec, so a model is compiled once per executor, not once per task.
 */
package org.rnn4j.spark.engine;
