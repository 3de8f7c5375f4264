package org.rnn4j.spark.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TestBlockId;
import org.apache.spark.util.io.ChunkedByteBuffer;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * A BigDL-style all-reduce through Spark's block manager: every partition cuts its weighted
 * gradient into W chunks and stores chunk j as a block of its executor; then task j fetches chunk
 * j from every partition (over the block transfer service), sums them in partition order and
 * returns the sum. Each chunk crosses the network once (reduce-scatter), and the driver receives
 * P values instead of W times P. The summation order is fixed, so the sum does not depend on
 * which task finished first.
 *
 * <p>The blocks are plain bytes ({@link TestBlockId}, the block id Spark keeps for blocks that
 * belong to no RDD, shuffle or broadcast, as BigDL's parameter blocks do), named by run, step,
 * attempt, source partition and chunk; the driver removes them after each step.
 */
final class BlockManagerAllReduce {
    private BlockManagerAllReduce() {}

    static BlockId id(String run, long step, int attempt, int from, int chunk) {
        return new TestBlockId("rnn4j_" + run + "_" + step + "_" + attempt + "_" + from + "_" + chunk);
    }

    /** The first index of chunk {@code j} of {@code w} over {@code n} values. */
    static int chunkStart(int n, int w, int j) {
        return (int) ((long) n * j / w);
    }

    /** Stores {@code gradient}'s W chunks as blocks of this executor. */
    static void scatter(String run, long step, int attempt, int from, double[] gradient, int w) {
        BlockManager bm = SparkEnv.get().blockManager();
        for (int j = 0; j < w; j++) {
            int a = chunkStart(gradient.length, w, j);
            int b = chunkStart(gradient.length, w, j + 1);
            ByteBuffer buf = ByteBuffer.allocate((b - a) * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = a; i < b; i++) {
                buf.putDouble(gradient[i]);
            }
            buf.flip();
            boolean stored = bm.putBytes(
                    id(run, step, attempt, from, j),
                    new ChunkedByteBuffer(buf),
                    StorageLevel.MEMORY_ONLY_SER(),
                    true,
                    ClassTag$.MODULE$.Any());
            if (!stored) {
                throw new IllegalStateException("the block manager refused gradient chunk " + j + " of step " + step
                        + "; give the executors more memory (spark.executor.memory)");
            }
        }
    }

    /** Chunk {@code j} summed over the {@code w} partitions in partition order (the chunk's length). */
    static double[] reduce(String run, long step, int attempt, int j, int w, int n) {
        BlockManager bm = SparkEnv.get().blockManager();
        int len = chunkStart(n, w, j + 1) - chunkStart(n, w, j);
        double[] sum = new double[len];
        for (int from = 0; from < w; from++) {
            ByteBuffer bytes = fetch(bm, id(run, step, attempt, from, j)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < len; i++) {
                sum[i] += bytes.getDouble();
            }
        }
        return sum;
    }

    private static ByteBuffer fetch(BlockManager bm, BlockId id) {
        Option<BlockData> local = bm.getLocalBytes(id);
        if (local.isDefined()) {
            try {
                ByteBuffer b = local.get().toByteBuffer();
                ByteBuffer copy = ByteBuffer.allocate(b.remaining());
                copy.put(b).flip();
                return copy;
            } finally {
                bm.releaseLock(id, Option.apply(TaskContext.get()));
            }
        }
        Option<ChunkedByteBuffer> remote = bm.getRemoteBytes(id);
        if (remote.isEmpty()) {
            // Its executor was lost: the driver runs the step again under a new attempt number.
            throw new IllegalStateException("gradient block " + id.name() + " is gone (its executor was lost)");
        }
        return remote.get().toByteBuffer();
    }

    /** Removes a step's blocks from every executor (driver side). */
    static void remove(String run, long step, int attempt, int w) {
        var master = SparkEnv.get().blockManager().master();
        for (int from = 0; from < w; from++) {
            for (int j = 0; j < w; j++) {
                master.removeBlock(id(run, step, attempt, from, j));
            }
        }
    }
}
