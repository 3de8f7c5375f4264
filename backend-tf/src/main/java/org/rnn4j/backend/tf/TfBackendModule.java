package org.rnn4j.backend.tf;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.BackendModule;

/** Binds {@link TfBackend} under {@code "tf"}; found by the bootstrap through {@code META-INF/services}. */
public final class TfBackendModule extends AbstractModule implements BackendModule {
    @Override
    public String backendId() {
        return TfBackend.ID;
    }

    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, Backend.class)
                .addBinding(TfBackend.ID)
                .to(TfBackend.class); // unscoped: every Rnn4j.backend call gets its own, which the caller closes
    }
}
