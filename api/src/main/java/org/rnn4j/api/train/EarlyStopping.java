package org.rnn4j.api.train;

import java.util.Map;
import org.rnn4j.api.tensor.Tensor;

/**
 * Keras 3's {@code EarlyStopping}: stops training when {@code monitor} has not improved for
 * {@code patience} epochs.
 *
 * <ul>
 *   <li>{@code mode} {@link Monitor.Mode#AUTO} minimises the loss and follows a compiled metric's
 *       direction ({@code val_accuracy} is maximised); {@code MIN} / {@code MAX} say it outright.</li>
 *   <li>An improvement must beat the best value so far by more than {@code minDelta}.</li>
 *   <li>Each epoch without improvement adds one to a wait count; training stops at the end of an
 *       epoch (not the first) where the count reaches {@code patience}. An improvement resets the
 *       count, but only if it also beats {@code baseline} when one is given.</li>
 *   <li>Epochs before {@code startFromEpoch} (0-based) are not looked at.</li>
 *   <li>With {@code restoreBestWeights} (default false, as Keras) the weights of the best epoch
 *       are put back when training ends, whether or not it stopped early.</li>
 * </ul>
 * A monitor missing from an epoch's logs (e.g. {@code val_loss} without validation data) is an
 * error naming the keys there are; Keras only warns and never stops, which hides the mistake.
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final double minDelta;
    private final int patience;
    private final Monitor.Mode mode;
    private final Double baseline;
    private final boolean restoreBestWeights;
    private final int startFromEpoch;

    private Monitor direction;
    private Double best;
    private int bestEpoch = -1;
    private int wait;
    private int stoppedEpoch = -1;
    private Map<String, Tensor> bestWeights;

    /**
     * @param baseline the value to beat before the wait count resets, or null
     */
    public EarlyStopping(
            String monitor,
            double minDelta,
            int patience,
            Monitor.Mode mode,
            Double baseline,
            boolean restoreBestWeights,
            int startFromEpoch) {
        if (monitor == null || monitor.isBlank()) {
            throw new IllegalArgumentException("early stopping needs a monitor, e.g. val_loss");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("early stopping patience must be >= 0, got " + patience);
        }
        if (!Double.isFinite(minDelta)) {
            throw new IllegalArgumentException("early stopping min_delta must be finite, got " + minDelta);
        }
        if (baseline != null && !Double.isFinite(baseline)) {
            throw new IllegalArgumentException("early stopping baseline must be finite, got " + baseline);
        }
        if (startFromEpoch < 0) {
            throw new IllegalArgumentException("early stopping start_from_epoch must be >= 0, got " + startFromEpoch);
        }
        this.monitor = monitor;
        this.minDelta = Math.abs(minDelta);
        this.patience = patience;
        this.mode = mode == null ? Monitor.Mode.AUTO : mode;
        this.baseline = baseline;
        this.restoreBestWeights = restoreBestWeights;
        this.startFromEpoch = startFromEpoch;
    }

    /** Keras's defaults: {@code val_loss}, auto, no min_delta, no baseline, weights not restored. */
    public EarlyStopping(int patience) {
        this("val_loss", 0, patience, Monitor.Mode.AUTO, null, false, 0);
    }

    /** {@code monitor} with Keras's other defaults. */
    public EarlyStopping(String monitor, int patience) {
        this(monitor, 0, patience, Monitor.Mode.AUTO, null, false, 0);
    }

    public EarlyStopping withMode(Monitor.Mode m) {
        return new EarlyStopping(monitor, minDelta, patience, m, baseline, restoreBestWeights, startFromEpoch);
    }

    public EarlyStopping withMinDelta(double d) {
        return new EarlyStopping(monitor, d, patience, mode, baseline, restoreBestWeights, startFromEpoch);
    }

    public EarlyStopping withBaseline(Double b) {
        return new EarlyStopping(monitor, minDelta, patience, mode, b, restoreBestWeights, startFromEpoch);
    }

    public EarlyStopping withRestoreBestWeights(boolean r) {
        return new EarlyStopping(monitor, minDelta, patience, mode, baseline, r, startFromEpoch);
    }

    public EarlyStopping withStartFromEpoch(int e) {
        return new EarlyStopping(monitor, minDelta, patience, mode, baseline, restoreBestWeights, e);
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        direction = Monitor.resolve(
                "EarlyStopping", monitor, mode, ctx.spec().compile().metrics());
        best = null;
        bestEpoch = -1;
        wait = 0;
        stoppedEpoch = -1;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        Double current = logs.get(monitor);
        if (current == null) {
            throw new IllegalStateException("EarlyStopping monitors '" + monitor + "' but the epoch's logs have only "
                    + logs.keySet()
                    + (monitor.startsWith("val_")
                            ? "; give validation data (validation_split or validation x/y) or monitor '"
                                    + monitor.substring(4) + "'"
                            : "; monitor one of those"));
        }
        if (epoch < startFromEpoch) {
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            bestWeights = ctx.weights().snapshot();
            bestEpoch = epoch;
        }
        wait++;
        if (direction.improves(current, best, minDelta)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                bestWeights = ctx.weights().snapshot();
            }
            if (baseline == null || direction.improves(current, baseline, minDelta)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            ctx.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(TrainingContext ctx, History history) {
        if (restoreBestWeights && bestWeights != null) {
            ctx.weights().setAll(bestWeights);
        }
    }

    /** 0-based epoch of the best value, or -1 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best value seen, or null before any. */
    public Double best() {
        return best;
    }

    /** 0-based epoch at whose end training was stopped, or -1 when it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }
}
