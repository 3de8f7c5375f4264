package org.rnn4j.api.data;

import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Prepares the next batches of a pass on a background thread while the engine computes the
 * current one, as {@code tf.data}'s {@code prefetch}. One producer thread runs the dataset's own
 * iterator and hands its batches over through a FIFO queue of {@code depth}, so the batches and
 * their order are exactly the dataset's. A failure while making a batch is thrown by
 * {@link BatchIterator#next()} at that batch, after every batch before it has been returned.
 */
public final class Prefetch {
    private static final Object END = new Object();
    private static final long OFFER_MILLIS = 20;

    private Prefetch() {}

    /**
     * The batches of {@code dataset} under {@code plan}, up to {@code depth} of them made ahead on
     * a background thread; {@code depth} 0, or a dataset {@link Dataset#inMemory() in memory},
     * makes each batch on the caller's thread when asked for. Handing a batch over between threads
     * costs more than gathering rows in memory: W1 (batches of 32 windows of 50 steps) trained
     * 2.0-2.6% faster on TensorFlow without the prefetch thread (BENCHMARKS.md, round eight). The
     * batches are the same either way.
     */
    public static BatchIterator of(Dataset dataset, EpochPlan plan, int depth) {
        if (depth < 0) {
            throw new IllegalArgumentException("prefetch depth must be >= 0, got " + depth);
        }
        if (depth == 0 || dataset.inMemory()) {
            return dataset.batches(plan);
        }
        Ahead ahead = new Ahead(dataset, plan, depth);
        ahead.producer.start();
        return ahead;
    }

    private record Failure(Throwable error) {}

    private static final class Ahead implements BatchIterator {
        private final BlockingQueue<Object> queue;
        private final Thread producer;
        private volatile boolean closed;
        private Object head;

        Ahead(Dataset dataset, EpochPlan plan, int depth) {
            this.queue = new ArrayBlockingQueue<>(depth);
            this.producer = new Thread(() -> produce(dataset, plan), "rnn4j-prefetch");
            producer.setDaemon(true);
        }

        private void produce(Dataset dataset, EpochPlan plan) {
            try (BatchIterator it = dataset.batches(plan)) {
                while (!closed && it.hasNext()) {
                    hand(it.next());
                }
                hand(END);
            } catch (Throwable t) { // handed to the consumer, which rethrows it at this batch
                hand(new Failure(t));
            }
        }

        private void hand(Object item) {
            try {
                while (!closed && !queue.offer(item, OFFER_MILLIS, TimeUnit.MILLISECONDS)) {
                    // The consumer is busy; keep waiting unless it closed the pass.
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean hasNext() {
            if (head == null) {
                if (closed) {
                    throw new IllegalStateException("the batch iterator is closed");
                }
                try {
                    head = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the next batch", e);
                }
            }
            if (head instanceof Failure f) {
                rethrow(f.error());
            }
            return head != END;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the pass has no more batches");
            }
            Batch b = (Batch) head;
            head = null;
            return b;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            try {
                // The producer notices `closed` after the batch it is making (or within OFFER_MILLIS).
                producer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void rethrow(Throwable t) {
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }
}
