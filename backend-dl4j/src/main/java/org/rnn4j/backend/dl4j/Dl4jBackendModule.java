package org.rnn4j.backend.dl4j;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.BackendModule;

/** Binds {@link Dl4jBackend} as {@code dl4j} in the {@code MapBinder<String, Backend>} the bootstrap reads. */
public final class Dl4jBackendModule extends AbstractModule implements BackendModule {

    @Override
    public String backendId() {
        return Dl4jBackend.ID;
    }

    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, Backend.class)
                .addBinding(Dl4jBackend.ID)
                .to(Dl4jBackend.class); // unscoped: every Rnn4j.backend call gets its own, which the caller closes
    }
}
