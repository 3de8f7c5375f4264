package org.rnn4j.bench;

import java.util.function.IntConsumer;

/** One model being trained by one implementation on the data of {@link SyntheticData}. */
public interface TrainingRun extends AutoCloseable {

    /**
     * Trains one epoch over the first {@code batches} batches of the data.
     *
     * @param epoch     0-based epoch number (drives shuffling where the implementation shuffles)
     * @param batchDone called after every finished batch with its 0-based index
     * @return the mean training loss of the epoch
     */
    double epoch(int epoch, int batches, IntConsumer batchDone);

    @Override
    void close();
}
