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

    /**
     * The rows of a table as training samples, built where the rows are (the driver never holds
     * the data): {@code xColumn} one input sample per row ({@code array<double|float>} of
     * {@code sampleShape}'s size, time-major, or {@code array<int>} token ids when {@code tokens}),
     * {@code yColumn} its target ({@code double}/{@code float}/{@code int}, or an array). Global
     * sample indices follow the table's row order ({@code zipWithIndex}), so the same table gives
     * the same batches as the same rows in memory.
     *
     * @param sampleShape one input sample's shape, e.g. {@code [50, 1]}
     * @param targetShape one target's shape, e.g. {@code [1]} (for sparse class ids: {@code []} per step, as {@code [time]})
     */
    public static TrainingData fromTable(
            org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table,
            String xColumn,
            String yColumn,
            int[] sampleShape,
            int[] targetShape,
            boolean tokens) {
        java.util.List<String> columns = java.util.Arrays.asList(table.columns());
        for (String c : List.of(xColumn, yColumn)) {
            if (!columns.contains(c)) {
                throw new IllegalArgumentException(
                        "column '" + c + "' is missing; the table has columns " + columns + "; name one that exists");
            }
        }
        JavaRDD<SampleBlock> blocks = table.select(xColumn, yColumn)
                .javaRDD()
                .zipWithIndex()
                .mapPartitions(
                        rows -> {
                            List<scala.Tuple2<org.apache.spark.sql.Row, Long>> all = new ArrayList<>();
                            rows.forEachRemaining(all::add);
                            if (all.isEmpty()) {
                                return java.util.Collections.emptyIterator();
                            }
                            int first = Math.toIntExact(all.get(0)._2());
                            return List.of(TableRows.block(
                                            first, all, xColumn, yColumn, sampleShape, targetShape, tokens))
                                    .iterator();
                        },
                        true)
                .persist(StorageLevel.MEMORY_ONLY());
        List<Integer> counts = blocks.map(SampleBlock::count).collect();
        int n = counts.stream().mapToInt(Integer::intValue).sum();
        if (n == 0) {
            blocks.unpersist(false);
            throw new IllegalArgumentException("the training table has no rows");
        }
        return new TrainingData(blocks, n, counts.size());
    }

    /** Drops the cached blocks. */
    public void release() {
        blocks.unpersist(false);
    }
}
