/** JMH benchmarks of workload P (inference latency), for runs deeper than the harness's quick timing. */
package org.rnn4j.bench.jmh;
