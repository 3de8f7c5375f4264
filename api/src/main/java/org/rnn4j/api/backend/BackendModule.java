package org.rnn4j.api.backend;

/**
 * Marks the Guice module a backend contributes (the bootstrap only installs service-loaded
 * modules that implement this). The module binds its {@link Backend} into a
 * {@code MapBinder<String, Backend>} under {@link #backendId()}.
 */
public interface BackendModule {
    String backendId();
}
