package org.rnn4j.api.layers;

/**
 * Keras's L1, L2 and L1L2 regularizers as one value: the penalty
 * {@code l1 * sum(|x|) + l2 * sum(x^2)} is added to the training loss (and so to the reported
 * loss, as Keras does). On a weight it reads the weight; as an activity regularizer it reads the
 * layer's output and is divided by the batch size, as Keras 3 does.
 */
public record Regularizer(double l1, double l2) {
    public Regularizer {
        if (!(l1 >= 0) || !Double.isFinite(l1) || !(l2 >= 0) || !Double.isFinite(l2)) {
            throw new IllegalArgumentException(
                    "regularizer factors l1 and l2 must be finite numbers >= 0, got " + l1 + " and " + l2);
        }
        if (l1 == 0 && l2 == 0) {
            throw new IllegalArgumentException(
                    "a regularizer needs l1 or l2 above 0; leave the regularizer out instead");
        }
    }

    /** Keras {@code L1(l1)}. */
    public static Regularizer l1(double l1) {
        return new Regularizer(l1, 0);
    }

    /** Keras {@code L2(l2)}. */
    public static Regularizer l2(double l2) {
        return new Regularizer(0, l2);
    }

    /** Keras {@code L1L2(l1, l2)}. */
    public static Regularizer l1l2(double l1, double l2) {
        return new Regularizer(l1, l2);
    }
}
