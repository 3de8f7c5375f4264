package org.rnn4j.spark.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.rnn4j.api.tensor.Tensor;

/**
 * Training samples spread over a cluster: one cached {@link SampleBlock} per partition, global
 * sample indices {@code 0 .. size-1}. The api's batch order picks samples by these indices, so the
 * distributed run visits the same batches as a single-machine run over the same samples.
 */
public record TrainingData(JavaRDD<SampleBlock> blocks, int size, int partitions) {

    /** {@code x} and {@code y} cut into {@code partitions} contiguous blocks, cached in the executors' memory. */
    public static TrainingData parallelize(JavaSparkContext sc, Tensor x, Tensor y, int partitions) {
        int n = x.dim(0);
        if (y.dim(0) != n) {
            throw new IllegalArgumentException("x has " + n + " samples but y has " + y.dim(0) + "; they must match");
        }
        if (partitions < 1 || partitions > n) {
            throw new IllegalArgumentException(
                    "partitions must be in [1, " + n + "] (one block per partition), got " + partitions);
        }
        List<SampleBlock> blocks = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            blocks.add(
                    SampleBlock.of(x, y, (int) ((long) n * p / partitions), (int) ((long) n * (p + 1) / partitions)));
        }
        JavaRDD<SampleBlock> rdd = sc.parallelize(blocks, partitions).persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        return new TrainingData(rdd, n, partitions);
    }

    /** Drops the cached blocks. */
    public void release() {
        blocks.unpersist(false);
    }
}
