/**
 * From what a user asks for to data a model trains on: where data comes from
 * ({@link org.rnn4j.zoo.plan.DataSource}, shipped names, CSV and text files, long-format files),
 * the options that shape it ({@link org.rnn4j.zoo.plan.DataRequest},
 * {@link org.rnn4j.zoo.plan.ReadOptions}, a spec's {@link org.rnn4j.zoo.plan.DataBlock}), and the
 * choice of preparation for a zoo model or any spec ({@link org.rnn4j.zoo.plan.TrainingPlan}).
 * Commands only parse options and print; the decisions live here.
 */
package org.rnn4j.zoo.plan;
