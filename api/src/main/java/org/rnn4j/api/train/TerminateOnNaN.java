package org.rnn4j.api.train;

/**
 * Keras's {@code TerminateOnNaN}: a NaN or infinite batch loss ends training instead of failing
 * it. Unlike Keras, the bad batch's update is never applied: the weights are those before it, and
 * the unfinished epoch is not recorded in the history.
 */
public final class TerminateOnNaN implements Callback {
    private int epoch = -1;
    private int batch = -1;
    private double loss = Double.NaN;

    @Override
    public boolean onNonFiniteLoss(TrainingContext ctx, int epoch, int batch, double loss) {
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
        return true;
    }

    /** Whether training was ended by a non-finite loss. */
    public boolean terminated() {
        return epoch >= 0;
    }

    /** 0-based epoch of the non-finite loss, or -1. */
    public int epoch() {
        return epoch;
    }

    /** 0-based batch of the non-finite loss within its epoch, or -1. */
    public int batch() {
        return batch;
    }

    public double loss() {
        return loss;
    }
}
