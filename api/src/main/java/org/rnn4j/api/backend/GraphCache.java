package org.rnn4j.api.backend;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An engine's compiled graphs by key (mode and length for whole-sequence graphs, a
 * {@link org.rnn4j.api.graph.Piece} for long sequences), bounded by the total of their weights
 * (the time steps each graph unrolls, which its memory grows with): past {@code capacity} the least
 * recently used graphs are closed. A graph is used through a {@link Lease}; one that
 * is evicted while leased (a concurrent {@code predict}) closes when its last lease ends. Every
 * build and eviction is logged at debug level with the cache's size.
 *
 * <p>Thread-safe. Builds are serialised (one graph at a time); lookups of built graphs do not wait
 * for a build.
 */
public final class GraphCache<K, G extends AutoCloseable> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GraphCache.class);

    /**
     * The total weight a program keeps by default: 1,024 unrolled steps, e.g. the pieces of three
     * modes in chunks of 128 and a couple of whole-sequence graphs of 128 steps, or a few more of
     * shorter ones (an unrolled TensorFlow training graph holds about half a megabyte per step).
     */
    public static final int DEFAULT_CAPACITY = 1024;

    private final String owner;
    private final int capacity;
    private final java.util.function.ToIntFunction<K> weight;
    private long total;
    private final Map<K, Entry<G>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Object buildLock = new Object();
    private boolean closed;

    /**
     * @param owner    what the graphs belong to, for log lines ({@code tf model 'stock'})
     * @param capacity the most total weight kept ({@code >= 1}); the graph just built is kept even
     *                 when it alone weighs more
     * @param weight   a key's weight ({@code >= 1}), e.g. its time steps
     */
    public GraphCache(String owner, int capacity, java.util.function.ToIntFunction<K> weight) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a graph cache holds a weight of at least 1, got capacity " + capacity);
        }
        this.owner = owner;
        this.capacity = capacity;
        this.weight = weight;
    }

    /** A graph in use; closing the lease releases it. */
    public static final class Lease<G extends AutoCloseable> implements AutoCloseable {
        private final Entry<G> entry;
        private final GraphCache<?, G> cache;
        private boolean released;

        private Lease(Entry<G> entry, GraphCache<?, G> cache) {
            this.entry = entry;
            this.cache = cache;
        }

        public G graph() {
            return entry.graph;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                cache.release(entry);
            }
        }
    }

    private static final class Entry<G> {
        final G graph;
        final int weight;
        int leases;
        boolean evicted;

        Entry(G graph, int weight) {
            this.graph = graph;
            this.weight = weight;
        }
    }

    /** The graph for {@code key}, built with {@code build} when absent; the caller closes the lease. */
    public Lease<G> lease(K key, Function<K, G> build) {
        Lease<G> lease = existing(key);
        if (lease != null) {
            return lease;
        }
        synchronized (buildLock) {
            lease = existing(key);
            if (lease != null) {
                return lease;
            }
            G graph = build.apply(key);
            List<Entry<G>> toClose = new ArrayList<>();
            Entry<G> e = new Entry<>(graph, Math.max(1, weight.applyAsInt(key)));
            int size;
            long held;
            synchronized (this) {
                if (closed) {
                    toClose.add(e);
                    e = null;
                } else {
                    e.leases = 1;
                    entries.put(key, e);
                    total += e.weight;
                    evict(key, toClose);
                }
                size = entries.size();
                held = total;
            }
            closeAll(toClose);
            if (e == null) {
                throw new IllegalStateException(owner + " is closed");
            }
            LOG.debug(
                    "{}: built {}; graph cache holds {} graphs of weight {} (at most {})",
                    owner,
                    key,
                    size,
                    held,
                    capacity);
            return new Lease<>(e, this);
        }
    }

    private synchronized Lease<G> existing(K key) {
        if (closed) {
            throw new IllegalStateException(owner + " is closed");
        }
        Entry<G> e = entries.get(key);
        if (e == null) {
            return null;
        }
        e.leases++;
        return new Lease<>(e, this);
    }

    /** Drops least recently used graphs (never {@code keep}) beyond the capacity; those not in use go to {@code toClose}. */
    private void evict(K keep, List<Entry<G>> toClose) {
        Iterator<Map.Entry<K, Entry<G>>> it = entries.entrySet().iterator();
        while (total > capacity && it.hasNext()) {
            Map.Entry<K, Entry<G>> oldest = it.next();
            if (oldest.getKey().equals(keep)) {
                continue;
            }
            it.remove();
            Entry<G> e = oldest.getValue();
            total -= e.weight;
            e.evicted = true;
            LOG.debug("{}: evicted {} (least recently used)", owner, oldest.getKey());
            if (e.leases == 0) {
                toClose.add(e);
            }
        }
    }

    private void release(Entry<G> e) {
        boolean close;
        synchronized (this) {
            e.leases--;
            close = e.leases == 0 && e.evicted;
        }
        if (close) {
            closeAll(List.of(e));
        }
    }

    private void closeAll(List<Entry<G>> es) {
        RuntimeException failure = null;
        for (Entry<G> e : es) {
            try {
                e.graph.close();
            } catch (Exception ex) {
                // Keep closing the others; report the first failure at the end.
                failure = failure == null ? new IllegalStateException("closing a graph failed: " + ex, ex) : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** How many graphs are built and kept. */
    public synchronized int size() {
        return entries.size();
    }

    /** The total weight of the graphs kept. */
    public synchronized long weight() {
        return total;
    }

    public int capacity() {
        return capacity;
    }

    /** The keys kept, least recently used first (for tests and logs). */
    public synchronized List<K> keys() {
        return List.copyOf(entries.keySet());
    }

    /** Applies {@code action} to every kept graph (under the cache's lock; no builds meanwhile). */
    public synchronized void forEach(java.util.function.Consumer<G> action) {
        entries.values().forEach(e -> action.accept(e.graph));
    }

    /** Closes every graph that is not in use now and the rest when their leases end; later leases throw. Idempotent. */
    @Override
    public void close() {
        List<Entry<G>> toClose = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Entry<G> e : entries.values()) {
                e.evicted = true;
                if (e.leases == 0) {
                    toClose.add(e);
                }
            }
            entries.clear();
            total = 0;
        }
        closeAll(toClose);
    }
}
