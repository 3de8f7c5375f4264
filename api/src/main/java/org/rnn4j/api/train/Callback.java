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

    /**
     * Adds entries to this epoch's logs before they are recorded in the history and passed to
     * {@link #onEpochEnd} (Keras's learning-rate callbacks log {@code learning_rate} this way).
     */
    default void onEpochLogs(TrainingContext ctx, int epoch, Map<String, Double> logs) {}

    /**
     * A batch's loss is NaN or infinite, before its update. Return true to end training there
     * quietly (the weights stay those before the batch, the unfinished epoch is not recorded);
     * when no callback does, training fails with a {@link TrainingDivergedException}.
     */
    default boolean onNonFiniteLoss(TrainingContext ctx, int epoch, int batch, double loss) {
        return false;
    }

    /** {@code logs} holds this epoch's loss, metrics and {@code val_*} values, by name. */
    default void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {}

    default void onTrainEnd(TrainingContext ctx, History history) {}
}
