package org.rnn4j.api.backend;

import java.util.Set;
import org.rnn4j.api.model.ModelSpec;

/**
 * An engine that runs rnn4j models: the whole backend SPI. A backend only builds and executes the
 * graph the api describes ({@link org.rnn4j.api.graph.ModelGraph}); weights, batches, optimizers,
 * callbacks and history stay in the api, so two backends given the same spec, weights and data
 * compute the same numbers.
 *
 * <p>Backends announce themselves to the bootstrap through a Guice module listed in
 * {@code META-INF/services/com.google.inject.Module} that also implements {@link BackendModule}.
 */
public interface Backend extends AutoCloseable {

    /** The id users select it by: {@code tf}, {@code dl4j}. */
    String id();

    /** A one-line description with the engine version. */
    String description();

    /** What this backend can do beyond the mandatory forward pass and training. */
    Set<Capability> capabilities();

    /**
     * Prepares a model for this engine with its {@link #recurrencePolicy()}: graphs are built
     * lazily, once per mode and sequence length for short sequences, once per piece for long ones.
     */
    default Program compile(ModelSpec spec) {
        return compile(spec, recurrencePolicy());
    }

    /**
     * This engine's measured choice of recurrence form per sequence length (ARCHITECTURE.md, "Long
     * sequences"); {@link RecurrencePolicy#defaults()} unless the engine measured better.
     */
    default RecurrencePolicy recurrencePolicy() {
        return RecurrencePolicy.defaults();
    }

    /** Prepares a model for this engine; {@code policy} chooses the form of its recurrences per sequence length. */
    Program compile(ModelSpec spec, RecurrencePolicy policy);

    /** Releases the engine's shared resources; programs compiled by it must be closed first. */
    @Override
    void close();
}
