package org.rnn4j.spark.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.data.EpochPlan;
import org.rnn4j.api.data.IndexedDataset;
import org.rnn4j.api.data.SampleOrder;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.tensor.Tensor;

/**
 * Training samples spread over a cluster: one cached {@link SampleBlock} per partition, global
 * sample indices {@code 0 .. size-1}. The api's batch order picks samples by these indices, so the
 * distributed run visits the same batches as a single-machine run over the same samples.
 */
public record TrainingData(JavaRDD<SampleBlock> blocks, int size, int partitions, IndexedDataset source) {

    /** {@code x} and {@code y} cut into {@code partitions} contiguous blocks, cached in the executors' memory. */
    public static TrainingData parallelize(JavaSparkContext sc, Tensor x, Tensor y, int partitions) {
        return parallelize(sc, TensorDataset.of(x, y), partitions);
    }

    /**
     * The samples of any dataset of known size (in-memory tensors, a memory-mapped series) cut into
     * {@code partitions} contiguous blocks, read through the api's batch contract on the driver and
     * cached in the executors' memory. Epochs visit them in {@code data}'s own order, so the run
     * sees the batches a single-machine run over {@code data} sees.
     */
    public static TrainingData parallelize(JavaSparkContext sc, Dataset data, int partitions) {
        if (!(data instanceof IndexedDataset indexed)) {
            throw new IllegalArgumentException("distributed training needs data of known size (an IndexedDataset);"
                    + " this dataset's size is known only after a pass");
        }
        int n = indexed.count();
        if (partitions < 1 || partitions > n) {
            throw new IllegalArgumentException(
                    "partitions must be in [1, " + n + "] (one block per partition), got " + partitions);
        }
        List<SampleBlock> blocks = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int from = (int) ((long) n * p / partitions);
            int to = (int) ((long) n * (p + 1) / partitions);
            int[] indices = new int[to - from];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = from + i;
            }
            Batch b = indexed.batch(indices);
            if (!b.hasTargets()) {
                throw new IllegalArgumentException("training data needs targets; this dataset has inputs only");
            }
            blocks.add(SampleBlock.of(from, b.x(), b.y()));
        }
        JavaRDD<SampleBlock> rdd = sc.parallelize(blocks, partitions).persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        return new TrainingData(rdd, n, partitions, indexed);
    }

    /** The samples of one epoch in order: the source dataset's own order, else the api's one shuffle. */
    public SampleOrder order(EpochPlan plan) {
        return source != null ? source.order(plan) : SampleOrder.of(size, plan);
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
        return new TrainingData(blocks, n, counts.size(), null);
    }

    /** Drops the cached blocks. */
    public void release() {
        blocks.unpersist(false);
    }
}
