package org.rnn4j.api.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphCacheTest {
    /** A stand-in graph that records whether it was closed. */
    static final class Fake implements AutoCloseable {
        final int steps;
        boolean closed;

        Fake(int steps) {
            this.steps = steps;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final List<Fake> built = new ArrayList<>();

    private GraphCache<Integer, Fake> cache(int capacity) {
        return new GraphCache<>("test", capacity, k -> k);
    }

    private Fake lease(GraphCache<Integer, Fake> c, int steps) {
        try (GraphCache.Lease<Fake> l = c.lease(steps, k -> {
            Fake f = new Fake(k);
            built.add(f);
            return f;
        })) {
            return l.graph();
        }
    }

    @Test
    void aKeyIsBuiltOnceAndTheLeastRecentlyUsedGoesFirstWhenTheWeightIsExceeded() {
        GraphCache<Integer, Fake> c = cache(100);
        Fake forty = lease(c, 40);
        Fake fifty = lease(c, 50);
        assertSame(forty, lease(c, 40), "a kept graph is reused, not rebuilt");
        assertEquals(2, built.size());
        assertEquals(90, c.weight());
        // 40 was used last: adding 30 (120 > 100) evicts 50, the least recently used.
        Fake thirty = lease(c, 30);
        assertEquals(List.of(40, 30), c.keys());
        assertEquals(70, c.weight());
        assertTrue(fifty.closed, "the evicted graph is closed");
        assertFalse(forty.closed);
        assertFalse(thirty.closed);
    }

    @Test
    void evictionFollowsUseNotBuildOrder() {
        GraphCache<Integer, Fake> c = cache(10);
        Fake four = lease(c, 4);
        Fake five = lease(c, 5);
        lease(c, 4); // touch 4: now 5 is the least recently used
        Fake three = lease(c, 3);
        assertTrue(five.closed, "the least recently used graph is closed");
        assertFalse(four.closed);
        assertFalse(three.closed);
        assertEquals(List.of(4, 3), c.keys());
    }

    @Test
    void aGraphEvictedWhileLeasedClosesWhenItsLeaseEnds() {
        GraphCache<Integer, Fake> c = cache(5);
        GraphCache.Lease<Fake> held = c.lease(5, Fake::new);
        Fake five = held.graph();
        lease(c, 3); // 8 > 5: 5 is evicted, but a caller still runs it
        assertFalse(five.closed, "closing a graph under a running call would crash it");
        assertEquals(List.of(3), c.keys());
        held.close();
        assertTrue(five.closed);
        held.close(); // a second release changes nothing
    }

    @Test
    void aGraphHeavierThanTheCapacityIsStillKeptUntilTheNextBuild() {
        GraphCache<Integer, Fake> c = cache(10);
        Fake big = lease(c, 50);
        assertFalse(big.closed);
        assertEquals(List.of(50), c.keys());
        lease(c, 2);
        assertTrue(big.closed);
    }

    @Test
    void closingClosesEveryGraphAndRefusesLaterLeases() {
        GraphCache<Integer, Fake> c = cache(100);
        Fake a = lease(c, 1);
        GraphCache.Lease<Fake> held = c.lease(2, Fake::new);
        c.close();
        assertTrue(a.closed);
        assertFalse(held.graph().closed, "a graph in use closes when its call ends");
        held.close();
        assertTrue(held.graph().closed);
        assertThrows(IllegalStateException.class, () -> lease(c, 1));
        assertEquals(0, c.size());
    }
}
