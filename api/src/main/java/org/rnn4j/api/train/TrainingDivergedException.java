package org.rnn4j.api.train;

/** The loss became NaN or infinite: training stopped before the bad update touched the weights. */
public class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int batch;

    public TrainingDivergedException(int epoch, int batch, double loss) {
        super("training diverged: loss is " + loss + " at epoch " + (epoch + 1) + ", batch " + (batch + 1)
                + "; the weights are those before this batch. Lower the learning rate, scale the data"
                + " (e.g. percent differences or a min-max scaler), or check the input for NaN");
        this.epoch = epoch;
        this.batch = batch;
    }

    /** 0-based epoch. */
    public int epoch() {
        return epoch;
    }

    /** 0-based batch within the epoch. */
    public int batch() {
        return batch;
    }
}
