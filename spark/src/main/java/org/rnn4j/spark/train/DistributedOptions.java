package org.rnn4j.spark.train;

/**
 * How {@link SparkTrainer} distributes training.
 *
 * @param combine    how the partitions' gradients are summed
 * @param transfer   how each step's weights reach the executors
 * @param localSteps 1: exact synchronous data parallelism (every step equals the single-machine
 *                   step on the same global batch); K &gt; 1: periodic averaging, each partition
 *                   takes K local steps on its shares of K global batches, then weights and
 *                   optimizer state are averaged (fewer Spark jobs, different numbers)
 * @param treeDepth  {@code treeAggregate}'s depth
 */
public record DistributedOptions(Combine combine, WeightTransfer transfer, int localSteps, int treeDepth) {
    public DistributedOptions {
        if (localSteps < 1) {
            throw new IllegalArgumentException("local steps must be >= 1 (1 = exact), got " + localSteps);
        }
        if (treeDepth < 1) {
            throw new IllegalArgumentException("tree depth must be >= 1, got " + treeDepth);
        }
    }

    /** Exact steps, gradients through {@code treeAggregate}, weights in the task: measured the fastest (SCALE.md). */
    public static DistributedOptions exact() {
        return new DistributedOptions(Combine.TREE_AGGREGATE, WeightTransfer.TASK, 1, 2);
    }

    public DistributedOptions withCombine(Combine c) {
        return new DistributedOptions(c, transfer, localSteps, treeDepth);
    }

    public DistributedOptions withTransfer(WeightTransfer t) {
        return new DistributedOptions(combine, t, localSteps, treeDepth);
    }

    public DistributedOptions withLocalSteps(int k) {
        return new DistributedOptions(combine, transfer, k, treeDepth);
    }

    public boolean exactSteps() {
        return localSteps == 1;
    }

    /** How gradients are combined across partitions. */
    public enum Combine {
        /** Spark's {@code treeAggregate}: partial sums merged on the way to the driver. */
        TREE_AGGREGATE,
        /** Reduce-scatter through the block manager, then the driver gathers the reduced chunks. */
        BLOCK_MANAGER
    }

    /** How the driver's weights reach the executors each step. */
    public enum WeightTransfer {
        /** Inside the serialized task (Spark broadcasts each stage's task binary once). */
        TASK,
        /** A Spark broadcast variable per step, destroyed after the step. */
        BROADCAST
    }
}
