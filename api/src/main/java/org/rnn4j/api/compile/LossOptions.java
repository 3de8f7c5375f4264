package org.rnn4j.api.compile;

/**
 * The options of a Keras loss object.
 *
 * @param fromLogits     the cross-entropies read the output as logits (pre-sigmoid / pre-softmax)
 * @param labelSmoothing binary: targets become {@code y*(1-s) + s/2}; categorical:
 *                       {@code y*(1-s) + s/classes}
 * @param delta          Huber's switch from quadratic to linear
 */
public record LossOptions(boolean fromLogits, double labelSmoothing, double delta) {
    /** Keras's defaults: probabilities, no smoothing, delta 1. */
    public static final LossOptions DEFAULT = new LossOptions(false, 0, 1);

    public LossOptions {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("loss label_smoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("huber delta must be a finite number > 0, got " + delta);
        }
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** Refuses options the loss does not take. */
    void check(Loss loss) {
        if (fromLogits && !loss.takesLogits()) {
            throw new IllegalArgumentException(
                    "loss " + loss.jsonName() + " takes no from_logits; only the cross-entropies do");
        }
        if (labelSmoothing != 0 && !loss.takesLabelSmoothing()) {
            throw new IllegalArgumentException(
                    "loss " + loss.jsonName() + " takes no label_smoothing; binary and categorical cross-entropy do");
        }
        if (delta != 1 && loss != Loss.HUBER) {
            throw new IllegalArgumentException("loss " + loss.jsonName() + " takes no delta; huber does");
        }
    }
}
