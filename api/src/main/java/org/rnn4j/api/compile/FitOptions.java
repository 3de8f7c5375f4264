package org.rnn4j.api.compile;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code model.fit(...)} takes besides data. Batches and their order are made in the api from
 * {@code seed}, so every backend sees the same data in the same order.
 *
 * @param validationSplit the last fraction of the samples (before shuffling, as Keras) held out for validation
 * @param seed            drives weight initialisation, shuffling and dropout masks
 * @param classWeight     Keras's {@code class_weight}: each training sample's loss is weighted by its
 *                        class's weight (1 for classes not listed); empty for none
 * @param tbptt           truncated backpropagation through time, or null for full backpropagation
 * @param prefetch        batches prepared ahead on a background thread while the engine computes
 *                        (as Keras's {@code max_queue_size}); 0 makes each batch on the training
 *                        thread, as does a dataset {@link org.rnn4j.api.data.Dataset#inMemory() in
 *                        memory} whatever this says. It never changes the batches or the numbers,
 *                        only where they are made, so it is a run-time setting that specs do not save.
 */
public record FitOptions(
        int epochs,
        int batchSize,
        double validationSplit,
        boolean shuffle,
        long seed,
        Map<Integer, Double> classWeight,
        Tbptt tbptt,
        int prefetch) {
    public static final int MAX_EPOCHS = 1_000_000;
    public static final int MAX_BATCH_SIZE = 1 << 20;
    public static final int DEFAULT_PREFETCH = 2;

    public FitOptions {
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw new IllegalArgumentException("fit.epochs must be in [1, " + MAX_EPOCHS + "], got " + epochs);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException(
                    "fit.batch_size must be in [1, " + MAX_BATCH_SIZE + "], got " + batchSize);
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("fit.validation_split must be in [0, 1), got " + validationSplit);
        }
        classWeight = classWeight == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(classWeight));
        classWeight.forEach((k, w) -> {
            if (k == null || k < 0) {
                throw new IllegalArgumentException("fit.class_weight keys are class ids >= 0, got " + k);
            }
            if (w == null || !(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException(
                        "fit.class_weight of class " + k + " must be a finite number >= 0, got " + w);
            }
        });
        if (prefetch < 0 || prefetch > 1024) {
            throw new IllegalArgumentException("fit.prefetch must be in [0, 1024], got " + prefetch);
        }
    }

    /** With the default prefetch. */
    public FitOptions(
            int epochs,
            int batchSize,
            double validationSplit,
            boolean shuffle,
            long seed,
            Map<Integer, Double> classWeight,
            Tbptt tbptt) {
        this(epochs, batchSize, validationSplit, shuffle, seed, classWeight, tbptt, DEFAULT_PREFETCH);
    }

    /** Without class weights, with full backpropagation through time and the default prefetch. */
    public FitOptions(int epochs, int batchSize, double validationSplit, boolean shuffle, long seed) {
        this(epochs, batchSize, validationSplit, shuffle, seed, Map.of(), null, DEFAULT_PREFETCH);
    }

    /**
     * Truncated backpropagation through time (DL4J's {@code BackpropType.TruncatedBPTT}; Keras
     * needs {@code stateful=True} and manual resets for it): each batch's sequences are cut into
     * segments of {@code forward} steps trained one after the other, each with its own optimizer
     * update, the recurrent state carried from one segment into the next (its gradient is not).
     * Within a segment the recurrent layers are backpropagated through its last {@code backward}
     * steps only; the layers after the last recurrent one learn from every step's loss, as in DL4J.
     * Needs a model whose output is a sequence ({@code return_sequences} on its last recurrent
     * layer) and whose recurrent layers read forwards.
     */
    public record Tbptt(int forward, int backward) {
        public Tbptt {
            if (forward < 1 || forward > 1 << 24) {
                throw new IllegalArgumentException("fit.tbptt.forward must be in [1, 16777216], got " + forward);
            }
            if (backward < 1 || backward > forward) {
                throw new IllegalArgumentException(
                        "fit.tbptt.backward must be in [1, forward = " + forward + "], got " + backward);
            }
        }

        /** Segments of {@code steps}, backpropagated through all of them. */
        public static Tbptt of(int steps) {
            return new Tbptt(steps, steps);
        }
    }

    /** Keras defaults: 1 epoch, batch 32, no validation, shuffled; seed 42; full backpropagation; 2 batches prefetched. */
    public static FitOptions defaults() {
        return new FitOptions(1, 32, 0, true, 42);
    }

    public FitOptions withEpochs(int e) {
        return new FitOptions(e, batchSize, validationSplit, shuffle, seed, classWeight, tbptt, prefetch);
    }

    public FitOptions withBatchSize(int b) {
        return new FitOptions(epochs, b, validationSplit, shuffle, seed, classWeight, tbptt, prefetch);
    }

    public FitOptions withValidationSplit(double v) {
        return new FitOptions(epochs, batchSize, v, shuffle, seed, classWeight, tbptt, prefetch);
    }

    public FitOptions withShuffle(boolean s) {
        return new FitOptions(epochs, batchSize, validationSplit, s, seed, classWeight, tbptt, prefetch);
    }

    public FitOptions withSeed(long s) {
        return new FitOptions(epochs, batchSize, validationSplit, shuffle, s, classWeight, tbptt, prefetch);
    }

    public FitOptions withClassWeight(Map<Integer, Double> weights) {
        return new FitOptions(epochs, batchSize, validationSplit, shuffle, seed, weights, tbptt, prefetch);
    }

    /** With truncated backpropagation through time ({@code null}: full). */
    public FitOptions withTbptt(Tbptt t) {
        return new FitOptions(epochs, batchSize, validationSplit, shuffle, seed, classWeight, t, prefetch);
    }

    /** {@code n} batches made ahead on a background thread; 0 for none. */
    public FitOptions withPrefetch(int n) {
        return new FitOptions(epochs, batchSize, validationSplit, shuffle, seed, classWeight, tbptt, n);
    }
}
