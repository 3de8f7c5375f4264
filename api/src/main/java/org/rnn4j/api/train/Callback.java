package org.rnn4j.api.train;

import java.util.Map;

/**
 * Hooks into {@code fit}, as Keras callbacks. Epochs and batches are 0-based here; messages to
 * people print them 1-based.
 */
public interface Callback {
    default void onTrainBegin(TrainingContext ctx) {}

    default void onEpochBegin(TrainingContext ctx, int epoch) {}

    /** {@code batches} is the number of batches per epoch, or -1 when the data's size is not known ahead. */
    default void onBatchEnd(TrainingContext ctx, int epoch, int batch, int batches, double loss) {}

    /** {@code logs} holds this epoch's {@code loss}, metrics and {@code val_*} values. */
    default void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {}

    default void onTrainEnd(TrainingContext ctx, History history) {}
}
