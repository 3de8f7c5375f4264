/**
 * The benchmark harness: fixed workloads (W1, W1b, W2, P, matmul), synthetic seeded data, process
 * measurements (resident memory, time since process start) and the one-JSON-line result of one
 * (workload, implementation) run. Implementations live in the sub-packages: {@code rnn4j} (the
 * library on either engine), {@code tf} and {@code dl4j} (hand-written engine code, the baselines).
 */
package org.rnn4j.bench;
