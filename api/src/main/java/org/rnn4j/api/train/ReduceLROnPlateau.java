package org.rnn4j.api.train;

import java.util.Map;

/**
 * Keras 3's {@code ReduceLROnPlateau}: when {@code monitor} has not improved by more than
 * {@code minDelta} for {@code patience} epochs, the learning rate is multiplied by {@code factor}
 * (not below {@code minLr}), then {@code cooldown} epochs pass before counting again. Each epoch's
 * logs get {@code learning_rate}, the rate that epoch used. The optimizer's learning rate must be a
 * number, not a schedule (Keras refuses to set a schedule too).
 */
public final class ReduceLROnPlateau implements Callback {
    private final String monitor;
    private final double factor;
    private final int patience;
    private final Monitor.Mode mode;
    private final double minDelta;
    private final int cooldown;
    private final double minLr;

    private Monitor direction;
    private Double best;
    private int wait;
    private int cooldownCounter;

    public ReduceLROnPlateau(
            String monitor,
            double factor,
            int patience,
            Monitor.Mode mode,
            double minDelta,
            int cooldown,
            double minLr) {
        if (!(factor < 1) || !(factor >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau factor must be in [0, 1), got " + factor);
        }
        if (patience < 0 || cooldown < 0) {
            throw new IllegalArgumentException(
                    "ReduceLROnPlateau patience and cooldown must be >= 0, got " + patience + " and " + cooldown);
        }
        if (!(minLr >= 0) || !Double.isFinite(minDelta)) {
            throw new IllegalArgumentException(
                    "ReduceLROnPlateau min_lr must be >= 0 and min_delta finite, got " + minLr + " and " + minDelta);
        }
        this.monitor = monitor;
        this.factor = factor;
        this.patience = patience;
        this.mode = mode == null ? Monitor.Mode.AUTO : mode;
        this.minDelta = Math.abs(minDelta);
        this.cooldown = cooldown;
        this.minLr = minLr;
    }

    /** Keras's defaults: val_loss, factor 0.1, patience 10, auto, min_delta 1e-4, no cooldown, min_lr 0. */
    public ReduceLROnPlateau() {
        this("val_loss", 0.1, 10, Monitor.Mode.AUTO, 1e-4, 0, 0);
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        direction = Monitor.resolve(
                "ReduceLROnPlateau", monitor, mode, ctx.spec().compile().metrics());
        if (ctx.optimizer().spec().common().schedule() != null) {
            throw new IllegalArgumentException("ReduceLROnPlateau cannot change the learning rate: it is the schedule "
                    + ctx.optimizer().spec().common().schedule().jsonName() + "; give a constant learning_rate");
        }
        best = null;
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onEpochLogs(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        logs.put("learning_rate", (double) ctx.optimizer().learningRate());
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        Double current = logs.get(monitor);
        if (current == null) {
            throw new IllegalStateException("ReduceLROnPlateau monitors '" + monitor + "' but the epoch's logs have "
                    + logs.keySet() + "; give validation data or monitor one of those");
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (direction.improves(current, best, minDelta)) {
            best = current;
            wait = 0;
        } else if (cooldownCounter == 0) {
            wait++;
            if (wait >= patience) {
                double old = ctx.optimizer().learningRate();
                if (old > (float) minLr) {
                    ctx.optimizer().setLearningRate(Math.max(old * factor, minLr));
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }
}
