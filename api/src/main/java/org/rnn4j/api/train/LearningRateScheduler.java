package org.rnn4j.api.train;

import java.util.Map;

/**
 * Keras's {@code LearningRateScheduler}: before each epoch, the learning rate becomes
 * {@code schedule(epoch, current rate)} (epoch 0-based); each epoch's logs get
 * {@code learning_rate}. The optimizer's learning rate must be a number, not a schedule.
 */
public final class LearningRateScheduler implements Callback {

    /** The new learning rate from the 0-based epoch and the current rate. */
    @FunctionalInterface
    public interface Schedule {
        double rate(int epoch, double learningRate);
    }

    private final Schedule schedule;

    public LearningRateScheduler(Schedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException("LearningRateScheduler needs a schedule");
        }
        this.schedule = schedule;
    }

    @Override
    public void onEpochBegin(TrainingContext ctx, int epoch) {
        double rate = schedule.rate(epoch, ctx.optimizer().learningRate());
        if (!Double.isFinite(rate) || rate < 0) {
            throw new IllegalArgumentException("LearningRateScheduler's schedule gave " + rate + " for epoch "
                    + (epoch + 1) + "; it must give a" + " finite number >= 0");
        }
        ctx.optimizer().setLearningRate(rate);
    }

    @Override
    public void onEpochLogs(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        logs.put("learning_rate", (double) ctx.optimizer().learningRate());
    }
}
