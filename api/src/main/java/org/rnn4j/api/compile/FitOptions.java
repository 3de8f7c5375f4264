package org.rnn4j.api.compile;

/**
 * What {@code model.fit(...)} takes besides data. Batches and their order are made in the api from
 * {@code seed}, so every backend sees the same data in the same order.
 *
 * @param validationSplit the last fraction of the samples (before shuffling, as Keras) held out for validation
 * @param seed            drives weight initialisation, shuffling and dropout masks
 * @param prefetch        batches prepared ahead on a background thread while the engine computes
 *                        (as Keras's {@code max_queue_size}); 0 makes each batch on the training
 *                        thread. It never changes the batches or the numbers, only where they are
 *                        made, so it is a run-time setting that specs do not save.
 */
public record FitOptions(int epochs, int batchSize, double validationSplit, boolean shuffle, long seed, int prefetch) {
    public static final int MAX_EPOCHS = 1_000_000;
    public static final int MAX_BATCH_SIZE = 1 << 20;
    /** Batches prepared ahead by default: one in the queue while the next is being made. */
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
        if (prefetch < 0 || prefetch > 1024) {
            throw new IllegalArgumentException("fit.prefetch must be in [0, 1024], got " + prefetch);
        }
    }

    /** The settings with the default prefetch. */
    public FitOptions(int epochs, int batchSize, double validationSplit, boolean shuffle, long seed) {
        this(epochs, batchSize, validationSplit, shuffle, seed, DEFAULT_PREFETCH);
    }

    /** Keras defaults: 1 epoch, batch 32, no validation, shuffled; seed 42; 2 batches prefetched. */
    public static FitOptions defaults() {
        return new FitOptions(1, 32, 0, true, 42);
    }

    public FitOptions withEpochs(int e) {
        return new FitOptions(e, batchSize, validationSplit, shuffle, seed, prefetch);
    }

    public FitOptions withBatchSize(int b) {
        return new FitOptions(epochs, b, validationSplit, shuffle, seed, prefetch);
    }

    public FitOptions withValidationSplit(double v) {
        return new FitOptions(epochs, batchSize, v, shuffle, seed, prefetch);
    }

    public FitOptions withShuffle(boolean s) {
        return new FitOptions(epochs, batchSize, validationSplit, s, seed, prefetch);
    }

    public FitOptions withSeed(long s) {
        return new FitOptions(epochs, batchSize, validationSplit, shuffle, s, prefetch);
    }

    /** {@code n} batches made ahead on a background thread; 0 for none. */
    public FitOptions withPrefetch(int n) {
        return new FitOptions(epochs, batchSize, validationSplit, shuffle, seed, n);
    }
}
