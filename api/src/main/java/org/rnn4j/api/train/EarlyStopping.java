package org.rnn4j.api.train;

import java.util.Map;
import org.rnn4j.api.tensor.Tensor;

/**
 * Keras's EarlyStopping: stop when {@code monitor} (default {@code val_loss}, falling back to
 * {@code loss} without validation data) has not improved by more than {@code minDelta} for
 * {@code patience} epochs; optionally restore the best weights at the end.
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch = -1;
    private int wait;
    private Map<String, Tensor> bestWeights;

    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
        if (patience < 0) {
            throw new IllegalArgumentException("early stopping patience must be >= 0, got " + patience);
        }
        if (minDelta < 0) {
            throw new IllegalArgumentException("early stopping min_delta must be >= 0, got " + minDelta);
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBestWeights = restoreBestWeights;
    }

    public EarlyStopping(int patience) {
        this("val_loss", patience, 0, true);
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        Double value = logs.get(monitor);
        if (value == null && monitor.startsWith("val_")) {
            value = logs.get(monitor.substring(4));
        }
        if (value == null) {
            throw new IllegalStateException(
                    "early stopping monitors '" + monitor + "' but the logs have " + logs.keySet());
        }
        if (value < best - minDelta) {
            best = value;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) {
                bestWeights = ctx.weights().snapshot();
            }
        } else if (++wait > patience) {
            ctx.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(TrainingContext ctx, History history) {
        if (restoreBestWeights && bestWeights != null) {
            ctx.weights().setAll(bestWeights);
        }
    }

    /** 0-based epoch of the best value, or -1 before any epoch. */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double best() {
        return best;
    }
}
