package org.rnn4j.data.window;

/**
 * The shape of sliding windows over a series: {@code window} input steps, the next {@code horizon}
 * values of the target as the label, and a new window every {@code stride} steps. Window {@code i}
 * reads steps {@code [i*stride, i*stride + window)} and its target is the target column at steps
 * {@code [i*stride + window, i*stride + window + horizon)}.
 */
public record WindowSpec(int window, int horizon, int stride) {
    public WindowSpec {
        if (window <= 0) {
            throw new IllegalArgumentException("window.window must be > 0, got " + window);
        }
        if (horizon <= 0) {
            throw new IllegalArgumentException("window.horizon must be > 0, got " + horizon);
        }
        if (stride <= 0) {
            throw new IllegalArgumentException("window.stride must be > 0, got " + stride);
        }
    }

    /** Windows of {@code window} steps predicting the next value, one per step. */
    public static WindowSpec of(int window) {
        return new WindowSpec(window, 1, 1);
    }

    /**
     * The number of windows a series of {@code length} steps yields:
     * {@code floor((length - window - horizon) / stride) + 1}, or 0 when it is shorter than
     * {@code window + horizon}.
     */
    public int count(int length) {
        long span = (long) window + horizon;
        return length < span ? 0 : (int) ((length - span) / stride + 1);
    }
}
