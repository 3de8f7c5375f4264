package org.rnn4j.spark.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.rnn4j.spark.train.DistributedOptions;
import picocli.CommandLine.Option;

/** The options every {@code rnn4j spark} command shares: where Spark runs and how training is spread. */
final class SparkOptions {
    @Option(
            names = "--master",
            paramLabel = "URL",
            description =
                    "local[N], spark://host:port, yarn, k8s://... (default: what spark-submit set, else local[*]).")
    String master;

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            description = "A Spark setting, repeatable (e.g. --conf spark.executor.memory=4g).")
    List<String> conf = new ArrayList<>();

    @Option(
            names = "--partitions",
            paramLabel = "N",
            description = "Training data partitions, one gradient share each (default: Spark's default parallelism).")
    Integer partitions;

    @Option(
            names = "--combine",
            paramLabel = "HOW",
            defaultValue = "tree",
            description = "How gradients are summed: tree (treeAggregate, default) or block-manager (all-reduce).")
    String combine;

    @Option(
            names = "--weights-transfer",
            paramLabel = "HOW",
            defaultValue = "task",
            description = "How each step's weights reach the executors: task (default) or broadcast.")
    String transfer;

    @Option(
            names = "--local-steps",
            paramLabel = "K",
            defaultValue = "1",
            description =
                    "1 (default): exact steps, the same weights as one machine. K > 1: periodic averaging after K local steps.")
    int localSteps;

    /** The distributed-training choices, checked. */
    DistributedOptions distributed() {
        DistributedOptions.Combine c = switch (combine.toLowerCase(Locale.ROOT)) {
            case "tree", "tree-aggregate" -> DistributedOptions.Combine.TREE_AGGREGATE;
            case "block-manager", "all-reduce", "allreduce" -> DistributedOptions.Combine.BLOCK_MANAGER;
            default ->
                throw new IllegalArgumentException("--combine must be tree or block-manager, got '" + combine + "'");
        };
        DistributedOptions.WeightTransfer t = switch (transfer.toLowerCase(Locale.ROOT)) {
            case "task" -> DistributedOptions.WeightTransfer.TASK;
            case "broadcast" -> DistributedOptions.WeightTransfer.BROADCAST;
            default ->
                throw new IllegalArgumentException(
                        "--weights-transfer must be task or broadcast, got '" + transfer + "'");
        };
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
        }
        if (localSteps < 1) {
            throw new IllegalArgumentException("--local-steps must be >= 1 (1 = exact), got " + localSteps);
        }
        return DistributedOptions.exact().withCombine(c).withTransfer(t).withLocalSteps(localSteps);
    }

    /**
     * A session for {@code app}. A local master binds the driver to 127.0.0.1 and leaves the web UI
     * off unless a {@code --conf} says otherwise: a local run opens no port to the network.
     */
    SparkSession session(String app) {
        SparkConf sc = new SparkConf();
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--conf takes KEY=VALUE, got '" + kv + "'");
            }
            sc.set(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        String m = master != null ? master : sc.get("spark.master", "local[*]");
        sc.setMaster(m);
        sc.setIfMissing("spark.app.name", app);
        if (m.startsWith("local")) {
            sc.setIfMissing("spark.driver.host", "127.0.0.1");
            sc.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            sc.setIfMissing("spark.ui.enabled", "false");
        }
        return SparkSession.builder().config(sc).getOrCreate();
    }
}
