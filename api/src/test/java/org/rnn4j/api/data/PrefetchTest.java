package org.rnn4j.api.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.tensor.Tensor;

class PrefetchTest {

    /** Sample i is x = i, y = 10 i; counts the batches it has made, and can fail at one. */
    static final class Counting implements IndexedDataset {
        final int n;
        final AtomicInteger made = new AtomicInteger();
        final int failAt;
        final RuntimeException failure = new IllegalArgumentException("row 12 of the file is broken");

        Counting(int n, int failAt) {
            this.n = n;
            this.failAt = failAt;
        }

        @Override
        public int count() {
            return n;
        }

        @Override
        public Batch batch(int[] indices) {
            if (made.get() == failAt) {
                throw failure;
            }
            float[] x = new float[indices.length];
            float[] y = new float[indices.length];
            for (int i = 0; i < indices.length; i++) {
                x[i] = indices[i];
                y[i] = 10 * indices[i];
            }
            made.incrementAndGet();
            return new Batch(Tensor.wrap(x, indices.length, 1), Tensor.wrap(y, indices.length, 1));
        }
    }

    private static List<Tensor> pass(Dataset d, EpochPlan plan, int depth) {
        List<Tensor> xs = new ArrayList<>();
        try (BatchIterator it = Prefetch.of(d, plan, depth)) {
            while (it.hasNext()) {
                xs.add(it.next().x());
            }
        }
        return xs;
    }

    @Test
    void prefetchingGivesTheSameBatchesInTheSameOrder() {
        EpochPlan plan = new EpochPlan(4, 11, 7, true);
        List<Tensor> direct = pass(new Counting(100, -1), plan, 0);
        assertEquals(15, direct.size());
        for (int depth : new int[] {1, 2, 8, 100}) {
            assertEquals(direct, pass(new Counting(100, -1), plan, depth), "depth " + depth);
        }
    }

    @Test
    void aFailureArrivesAtItsBatchAfterEveryBatchBeforeIt() {
        Counting d = new Counting(100, 3);
        List<Tensor> got = new ArrayList<>();
        try (BatchIterator it = Prefetch.of(d, new EpochPlan(0, 1, 10, false), 2)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> {
                while (it.hasNext()) {
                    got.add(it.next().x());
                }
            });
            assertSame(d.failure, e, "the dataset's own exception, unwrapped");
        }
        assertEquals(3, got.size());
    }

    @Test
    void theNextBatchesAreMadeWhileTheConsumerIsBusy() throws InterruptedException {
        Counting d = new Counting(1000, -1);
        try (BatchIterator it = Prefetch.of(d, new EpochPlan(0, 1, 10, true), 2)) {
            it.next();
            // The consumer "computes" now; the producer fills the queue of 2 and makes one more.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (d.made.get() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(4, d.made.get(), "batch 1 taken, 2 and 3 queued, 4 made and waiting for room");
            Thread.sleep(50);
            assertEquals(4, d.made.get(), "the queue bounds how far ahead it runs");
        }
    }

    @Test
    void batchesInMemoryAreMadeOnTheCallersThreadAndTheSame() {
        EpochPlan plan = new EpochPlan(2, 5, 7, true);
        List<Tensor> expected = pass(new Counting(60, -1), plan, 0);
        String me = Thread.currentThread().getName();

        RecordingDataset inMemory = new RecordingDataset(new Counting(60, -1), true);
        assertEquals(expected, pass(inMemory, plan, 2));
        assertEquals(java.util.Set.of(me), inMemory.makers, "no prefetch thread for batches in memory");
        assertEquals(expected, pass(inMemory.slice(0, 60), plan, 2), "a slice of memory is memory");
        assertEquals(java.util.Set.of(me), inMemory.makers);

        RecordingDataset streamed = new RecordingDataset(new Counting(60, -1), false);
        assertEquals(expected, pass(streamed, plan, 2));
        assertEquals(java.util.Set.of("rnn4j-prefetch"), streamed.makers, "anything else is prefetched");

        // A function of the user's may cost anything: a mapped dataset is not "in memory", whatever its source.
        RecordingDataset mapped = new RecordingDataset(new Counting(60, -1), true);
        java.util.Set<String> mappers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Dataset m = mapped.map(b -> {
            mappers.add(Thread.currentThread().getName());
            return b;
        });
        assertFalse(m.inMemory());
        assertEquals(expected, pass(m, plan, 2));
        assertEquals(java.util.Set.of("rnn4j-prefetch"), mappers);
    }

    @Test
    void tensorsAreInMemory() {
        TensorDataset t =
                TensorDataset.of(Tensor.wrap(new float[] {1, 2, 3}, 3, 1), Tensor.wrap(new float[] {4, 5, 6}, 3, 1));
        assertTrue(t.inMemory());
        assertTrue(t.slice(1, 3).inMemory());
        assertFalse(new Counting(3, -1).inMemory(), "the default is not");
        assertTrue(t.map(b -> b, true).inMemory(), "a cheap map of memory is memory");
        assertFalse(t.map(b -> b, false).inMemory());
        assertFalse(new Counting(3, -1).map(b -> b, true).inMemory(), "a cheap map of a stream is a stream");
    }

    @Test
    void closingEarlyStopsTheProducer() throws InterruptedException {
        Counting d = new Counting(100_000, -1);
        BatchIterator it = Prefetch.of(d, new EpochPlan(0, 1, 10, false), 2);
        it.next();
        it.close();
        int after = d.made.get();
        Thread.sleep(50);
        assertEquals(after, d.made.get());
        assertTrue(after < 10, "stopped near where the consumer was: " + after);
        assertFalse(
                Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().equals("rnn4j-prefetch") && t.isAlive()),
                "no prefetch thread left");
    }
}
