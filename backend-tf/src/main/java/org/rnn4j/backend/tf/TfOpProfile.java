package org.rnn4j.backend.tf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Where a program's TensorFlow time goes, by op type: every session run of the program is traced
 * ({@code RunOptions.FULL_TRACE}) and each kernel's time (its step stats' op start to op end) is
 * summed by op type, matrix products also by output shape and whether they belong to the backward
 * pass. On with {@value #PROPERTY}{@code =true}; the program logs the table when it closes. A
 * diagnostic, not a way to run: tracing adds time to every op and runs go through {@code
 * Session.Runner}, so the shares mean more than the milliseconds, and with one inter-op thread on
 * one core ({@code -Drnn4j.tf.interOpThreads=1}, {@code taskset -c 0}) the kernels do not overlap.
 */
final class TfOpProfile {
    /** The system property that turns profiling on ({@code true}) for programs made after it is set. */
    static final String PROPERTY = "rnn4j.tf.profileOps";

    private final Map<String, long[]> byType = new HashMap<>();
    private long runs;
    private long micros;

    /** Whether {@value #PROPERTY} asks for profiles. */
    static boolean enabled() {
        return "true".equalsIgnoreCase(System.getProperty(PROPERTY, "false").trim());
    }

    /** {@code options} (none: the defaults) with the full trace on. */
    static RunOptions traced(RunOptions options) {
        return (options == null ? RunOptions.newBuilder() : options.toBuilder())
                .setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
                .build();
    }

    /** Adds one run's step stats. */
    synchronized void add(RunMetadata run) {
        runs++;
        for (DeviceStepStats device : run.getStepStats().getDevStatsList()) {
            for (NodeExecStats node : device.getNodeStatsList()) {
                long us = Math.max(0, node.getOpEndRelMicros() - node.getOpStartRelMicros());
                long[] sum = byType.computeIfAbsent(key(node), k -> new long[2]);
                sum[0] += us;
                sum[1]++;
                micros += us;
            }
        }
    }

    /** Runs added so far. */
    synchronized long runs() {
        return runs;
    }

    /**
     * The {@code rows} op types with the most kernel time, as a Markdown table: ops a run, ms a
     * run, and share of all kernels' time; headed by the runs and the summed kernel time a run.
     */
    synchronized String table(int rows) {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "%d session runs, kernels' time summed %.2f ms a run%n"
                        + "| op type | ops a run | ms a run | share of the kernels' time |%n|---|---:|---:|---:|%n",
                runs,
                micros / 1e3 / Math.max(1, runs)));
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(byType.entrySet());
        sorted.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
                ? Long.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
        for (Map.Entry<String, long[]> e : sorted.subList(0, Math.min(rows, sorted.size()))) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.3f | %.1f%% |%n",
                    e.getKey(),
                    e.getValue()[1] / (double) Math.max(1, runs),
                    e.getValue()[0] / 1e3 / Math.max(1, runs),
                    100.0 * e.getValue()[0] / Math.max(1, micros)));
        }
        return out.toString();
    }

    /**
     * The op type in the timeline label ({@code name = Type(inputs)}, else the node's name); for
     * matrix products (any type with {@code MatMul} in its name, oneDNN's too) also the output
     * shape and, for those {@code Graph.addGradients} made, "backward".
     */
    static String key(NodeExecStats node) {
        String label = node.getTimelineLabel();
        int eq = label.indexOf(" = ");
        int paren = eq < 0 ? -1 : label.indexOf('(', eq);
        String type = paren < 0 ? node.getNodeName() : label.substring(eq + 3, paren);
        if (!type.contains("MatMul") || node.getOutputCount() == 0) {
            return type;
        }
        List<String> dims = new ArrayList<>();
        for (TensorShapeProto.Dim d :
                node.getOutput(0).getTensorDescription().getShape().getDimList()) {
            dims.add(Long.toString(d.getSize()));
        }
        boolean backward = node.getNodeName().toLowerCase(Locale.ROOT).contains("gradient");
        return type + " -> [" + String.join(", ", dims) + "]" + (backward ? " backward" : "");
    }
}
