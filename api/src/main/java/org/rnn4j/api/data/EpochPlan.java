package org.rnn4j.api.data;

import org.rnn4j.api.compile.FitOptions;

/**
 * Which batches one pass over a dataset yields: {@code batchSize} samples per batch (the last one
 * may be smaller, as in Keras), in the order {@link SampleOrder} derives from {@code (seed, epoch)}
 * when {@code shuffle} is on, else in dataset order. The same plan always gives the same batches.
 *
 * @param epoch 0-based
 */
public record EpochPlan(int epoch, long seed, int batchSize, boolean shuffle) {
    public EpochPlan {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
    }

    /** The training pass of {@code epoch} under {@code options}. */
    public static EpochPlan training(FitOptions options, int epoch) {
        return new EpochPlan(epoch, options.seed(), options.batchSize(), options.shuffle());
    }

    /** Every sample once, in dataset order: evaluation and prediction. */
    public static EpochPlan inOrder(int batchSize) {
        return new EpochPlan(0, 0, batchSize, false);
    }

    /** The number of batches over {@code n} samples: {@code ceil(n / batchSize)}. */
    public long batchCount(long n) {
        return (n + batchSize - 1) / batchSize;
    }
}
